import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl trace CORRELATION_ID|SUBJECT`: one flow across services, in order, with timings; or
/// each flow that touched a record.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one flow across services, in order, with timings (from banshi-reporting).",
        discussion: """
            FLOW is a flow's correlationid; or one event, as SERVICE:SEQ (children:42 or children#42, \
            the SERVICE and #SEQ of `banshictl events tail` and `banshictl history`) or by its id, which traces the flow \
            it is a step of; or a record: its subject as the events name it (case/VC-…, aid/JA-…: the \
            SUBJECT of `events tail` and `history`) or its id alone (VC-…, or a coordinator delivery's \
            RULE/EVENT-ID), which traces every flow that touched the record, oldest first. With --json, \
            a flow's trace as reporting returns it; for a record, {"subject", "flows": [trace, …]}.
            """)
    @OptionGroup var options: RecordOptions
    @Argument(help: "The flow's correlationid, an event (children:42, or its id), or a record's subject (case/VC-…) or id (VC-…).")
    var flow: String

    func run() throws {
        let call = ServiceCall(global: options.global, service: "reporting")
        switch try call.reply("trace", ["correlation_id": .string(flow)]).outcome {
        case .success(let trace):
            print(options.json ? prettyJSON(trace) : Self.render(trace))
        case .failure(let error) where error.code == .notFound:
            if let event = Self.event(flow) {
                // One event: the flow it is a step of.
                guard let found = try call.result("history.query", event.merging(["limit": 1]) { $1 })["events"]?.arrayValue?.first,
                    let correlation = found["correlation_id"]?.stringValue
                else {
                    printError("banshictl: no event \(flow) in the history (reporting holds the events it has applied: banshictl status shows how far, in its lag table)")
                    throw ExitCode(1)
                }
                let trace = try call.result("trace", ["correlation_id": .string(correlation)])
                if options.json {
                    print(prettyJSON(trace))
                } else {
                    let step = (trace["steps"]?.arrayValue ?? []).firstIndex {
                        $0["source"] == found["source"] && $0["seq"] == found["seq"]
                    }
                    let steps = trace["steps"]?.arrayValue?.count ?? 0
                    print("\(flow) (\(cell(found["type"]))) is step \(step.map { "\($0 + 1)" } ?? "?") of \(steps) of its flow\n\n" + Self.render(trace))
                }
                return
            }
            // Not a flow: perhaps a record, by its subject or by its id alone, whose flows its events name.
            // An id may hold a slash too (a delivery's is <rule>/<event id>): then it is tried as both.
            var events: [JSONValue] = []
            for filter in flow.contains("/") ? ["subject", "record"] : ["record"] where events.isEmpty {
                events = try call.result("history.query", [filter: .string(flow), "limit": 10_000])["events"]?.arrayValue ?? []
            }
            var flows: [String] = []
            var subjects: [String] = []
            for event in events {
                if let id = event["correlation_id"]?.stringValue, !flows.contains(id) { flows.append(id) }
                if let subject = event["subject"]?.stringValue, !subjects.contains(subject) { subjects.append(subject) }
            }
            // Named as the events name it, when they name one subject (an id alone names case/VC-…).
            let record = subjects.count == 1 ? subjects[0] : flow
            guard !flows.isEmpty else {
                ServiceCall.report(error, service: "reporting", command: "trace")
                printError("banshictl: nor is it a record any event names (by its subject, case/VC-…, or its id, VC-…)")
                throw ExitCode(1)
            }
            let traces = try flows.map { try call.result("trace", ["correlation_id": .string($0)]) }
            if options.json {
                print(prettyJSON(["subject": .string(record), "flows": .array(traces)]))
            } else {
                print("\(record): \(flows.count) flow\(flows.count == 1 ? "" : "s")\n\n" + Self.render(flows: traces))
            }
        case .failure(let error):
            ServiceCall.report(error, service: "reporting", command: "trace")
            throw ExitCode(1)
        }
    }

    /// The `history.query` filter for one event named as SERVICE:SEQ (or SERVICE#SEQ, as `events
    /// tail` prints the two) or by its id; nil for anything else.
    static func event(_ text: String) -> [String: JSONValue]? {
        if let match = text.wholeMatch(of: /([a-z][a-z0-9-]*)[:#]([0-9]{1,18})/), let seq = Int64(match.2) {
            return ["source": .string(String(match.1)), "seq": .int(seq)]
        }
        return EventID.milliseconds(of: text) == nil ? nil : ["id": .string(text)]
    }

    /// A record's flows for a person, oldest first: each flow of several events as `render` shows
    /// it, and each run of flows of one event (a registration, a step recorded) as one table, a row
    /// each, so that a record with many steps stays a short page.
    static func render(flows traces: [JSONValue]) -> String {
        var parts: [String] = []
        var single: [JSONValue] = []
        func flush() {
            guard !single.isEmpty else { return }
            parts.append(
                "\(single.count == 1 ? "1 event, a flow of its own" : "\(single.count) events, each a flow of its own"):\n"
                    + recordTable(single, [("TIME", "time"), ("SERVICE", "source"), ("SEQ", "seq"), ("EVENT", "type"), ("SUBJECT", "subject")]))
            single = []
        }
        for trace in traces {
            if let steps = trace["steps"]?.arrayValue, steps.count == 1 {
                single.append(steps[0])
            } else {
                flush()
                parts.append(render(trace))
            }
        }
        flush()
        return parts.joined(separator: "\n\n")
    }

    /// One flow's trace for a person: a line with its extent, then its steps.
    static func render(_ trace: JSONValue) -> String {
        let steps = (trace["steps"]?.arrayValue ?? []).map { step -> JSONValue in
            guard case .object(var object) = step else { return step }
            object["at"] = .string("+" + readable(milliseconds: step["since_start_ms"]?.intValue ?? 0))
            object["step"] = .string("+" + readable(milliseconds: step["since_previous_ms"]?.intValue ?? 0))
            return .object(object)
        }
        let services = trace["services"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? ""
        return "flow \(trace["correlation_id"]?.stringValue ?? "?"): \(steps.count) event\(steps.count == 1 ? "" : "s") across \(services) in \(readable(milliseconds: trace["duration_ms"]?.intValue ?? 0))\n\n"
            + recordTable(steps, [("AT", "at"), ("STEP", "step"), ("SERVICE", "source"), ("SEQ", "seq"), ("EVENT", "type"), ("SUBJECT", "subject")])
    }
}

extension Trace {
    /// A duration as a person reads it: `840 ms`, `34.1 s`, `2 min 5 s`, `3 h 20 min`, `2 d 4 h`.
    static func readable(milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        switch milliseconds {
        case ..<1000: return "\(milliseconds) ms"
        case ..<60_000: return String(format: "%.1f s", Double(milliseconds) / 1000)
        case ..<3_600_000: return "\(seconds / 60) min \(seconds % 60) s"
        case ..<86_400_000: return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
        }
    }
}

/// `banshictl report`: every program against its targets.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Report each program's indicators against their targets: table, json, csv or a self-contained html file.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this program (children, petition, …).") var program: String?
    @Option(help: "First day, YYYY-MM-DD (default: 1 January of --to's year).") var from: String?
    @Option(help: "Last day, YYYY-MM-DD (default: today).") var to: String?
    @Option(help: "table, json, csv or html.") var format: String = "table"
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        guard ["table", "json", "csv", "html"].contains(format) else { throw ValidationError("--format is table, json, csv or html, not '\(format)'") }
    }

    func run() throws {
        var args: [String: JSONValue] = ["format": .string(format == "table" ? "json" : format)]
        if let program { args["program"] = .string(program) }
        if let from { args["from"] = .string(from) }
        if let to { args["to"] = .string(to) }
        let result = try ServiceCall(global: global, service: "reporting").result("report", args)
        let text: String
        switch format {
        case "csv", "html": text = result["content"]?.stringValue ?? ""
        case "json": text = prettyJSON(result) + "\n"
        default: text = Self.table(result) + "\n"
        }
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw usageError("cannot write \(output): \(error.localizedDescription)")
            }
            printError("banshictl: wrote \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    static func table(_ report: JSONValue) -> String {
        let rows = (report["indicators"]?.arrayValue ?? []).map { indicator -> JSONValue in
            guard case .object(var object) = indicator else { return indicator }
            object["shown"] = .string(IndicatorText.value(indicator))
            object["goal"] = .string(IndicatorText.target(indicator))
            return .object(object)
        }
        var text = "\(cell(report["from"])) to \(cell(report["to"]))\n\n"
        if report["rebuilding"] != nil { text += "(a rebuild is in progress: figures are partial)\n\n" }
        let named = (report["indicators"]?.arrayValue ?? []).compactMap { indicator -> String? in
            guard let unmet = indicator["unmet"]?.arrayValue?.compactMap(\.stringValue), !unmet.isEmpty else { return nil }
            return "\(cell(indicator["id"])): not yet \(unmet.joined(separator: ", "))"
        }
        return text + recordTable(rows, [("PROGRAM", "program"), ("INDICATOR", "id"), ("VALUE", "shown"), ("TARGET", "goal"), ("STATUS", "status_label")])
            + (named.isEmpty ? "" : "\n\n" + named.joined(separator: "\n"))
    }
}

/// `banshictl rebuild`: re-derives every indicator from the stored history, showing progress.
struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Re-derive every indicator from banshi-reporting's stored history, with progress.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Start it and return at once.") var detach = false
    @Flag(help: "Print the final status as JSON (no progress bar).") var json = false

    func run() throws {
        let reporting = ServiceCall(global: global, service: "reporting")
        let started = try reporting.result("rebuild")
        let total = max(started["total"]?.intValue ?? 0, 1)
        // A bar redrawn with \r on a terminal; elsewhere (a log, a pipe) a line at each quarter.
        let terminal = isatty(STDERR_FILENO) == 1 && !json
        if !json { printError("banshictl: rebuilding indicators from \(started["total"]?.intValue ?? 0) events") }
        if detach {
            if json { print(started.serialized()) }
            return
        }
        var quarter = 0
        while true {
            let state = try reporting.result("rebuild.status")
            let done = state["done"]?.intValue ?? 0
            let share = min(Double(done) / Double(max(total, state["total"]?.intValue ?? total)), 1)
            if terminal {
                let bar = String(repeating: "#", count: Int(share * 40)).padding(toLength: 40, withPad: ".", startingAt: 0)
                FileHandle.standardError.write(Data("\r[\(bar)] \(String(format: "%3.0f", share * 100))% \(done) events".utf8))
            } else if !json, Int(share * 4) > quarter, state["finished"] != true {
                quarter = Int(share * 4)
                printError("banshictl: rebuilt \(quarter * 25)% (\(done) events)")
            }
            if state["finished"] == true {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                print(json ? state.serialized() : "rebuilt: \(done) events replayed")
                return
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}

/// `banshictl history`: events from banshi-reporting's history.
struct HistoryQuery: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Query the event history kept by banshi-reporting.")
    @OptionGroup var options: RecordOptions
    @Option(help: "Only this service's events.") var source: String?
    @Option(help: "Only types starting with this.") var type: String?
    @Option(help: "Only this subject (case/VC-…).") var subject: String?
    @Option(help: "Only events about this record, whatever its kind (VC-… finds case/VC-…).") var record: String?
    @Option(help: "Only this flow.") var correlation: String?
    @Option(help: "At or after this RFC 3339 time.") var from: String?
    @Option(help: "Before this RFC 3339 time.") var to: String?
    @Option(help: "At most this many (1 to 10000).") var limit: Int = 100
    @Option(
        help: ArgumentHelp(
            "Only these columns, in this order, by name or title in any case: \(columnChoices(Self.columns, name: \.name, title: \.title)) (default: \(Self.narrow.joined(separator: ","))).",
            valueName: "name,..."))
    var columns: String?
    @Flag(help: "Every column, the full time and flow id.") var wide = false

    /// Every column history can show: its name for --columns, its title and the event member it shows.
    static let columns: [(name: String, title: String, member: String)] = [
        ("time", "TIME", "time"), ("source", "SOURCE", "source"), ("seq", "SEQ", "seq"), ("type", "EVENT", "type"),
        ("subject", "SUBJECT", "subject"), ("flow", "FLOW", "correlation_id"),
    ]
    /// What fits a terminal of 100 columns: the time to the second, no flow id.
    static let narrow = ["time", "source", "seq", "type", "subject"]

    func validate() throws { _ = try shown() }

    /// The columns shown: those `--columns` chooses, else every one with `--wide`, else `narrow`.
    private func shown() throws -> [(name: String, title: String, member: String)] {
        guard let columns else { return wide ? Self.columns : Self.columns.filter { Self.narrow.contains($0.name) } }
        guard !columnNames(columns).isEmpty else { throw ValidationError("--columns takes column names separated by commas, not '\(columns)'") }
        do {
            return try chooseColumns(columns, from: Self.columns, name: \.name, title: \.title)
        } catch {
            throw ValidationError(
                "--columns: no column '\(error.name)'; choose from \(error.choices)")
        }
    }

    func run() throws {
        var args: [String: JSONValue] = ["limit": .int(Int64(limit))]
        for (key, value) in [("source", source), ("type", type), ("subject", subject), ("record", record), ("correlation_id", correlation), ("from", from), ("to", to)] {
            if let value { args[key] = .string(value) }
        }
        let shown = try shown()
        try options.show(service: "reporting", "history.query", args) { result in
            let events = (result["events"]?.arrayValue ?? []).map { event -> JSONValue in
                guard !wide, case .object(var object) = event else { return event }
                // A subject can hold an id of 36 characters and more: its end goes, --wide shows it.
                if let subject = event["subject"]?.stringValue, subject.count > 32 { object["subject"] = .string(subject.prefix(31) + "…") }
                return .object(object)
            }
            // Seconds are enough to read; --wide keeps the milliseconds.
            return recordTable(events, shown.map { ($0.title, $0.member) }, milliseconds: wide)
        }
    }
}
