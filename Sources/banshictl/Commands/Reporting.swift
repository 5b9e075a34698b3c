import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl trace CORRELATION_ID`: one flow across services, in order, with timings.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one flow across services, in order, with timings (from banshi-reporting).")
    @OptionGroup var options: RecordOptions
    @Argument(help: "The flow's correlationid.") var correlationID: String

    func run() throws {
        try options.show(service: "reporting", "trace", ["correlation_id": .string(correlationID)]) { result in
            let steps = (result["steps"]?.arrayValue ?? []).map { step -> JSONValue in
                guard case .object(var object) = step else { return step }
                object["at"] = .string("+\(step["since_start_ms"]?.intValue ?? 0) ms")
                object["step"] = .string("+\(step["since_previous_ms"]?.intValue ?? 0) ms")
                return .object(object)
            }
            return "flow \(correlationID): \(steps.count) events across \(result["services"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? "") in \(result["duration_ms"]?.intValue ?? 0) ms\n\n"
                + recordTable(steps, [("AT", "at"), ("STEP", "step"), ("SERVICE", "source"), ("SEQ", "seq"), ("EVENT", "type"), ("SUBJECT", "subject")])
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
                throw ValidationError("cannot write \(output): \(error.localizedDescription)")
            }
            printError("banshictl: wrote \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    static func table(_ report: JSONValue) -> String {
        let rows = (report["indicators"]?.arrayValue ?? []).map { indicator -> JSONValue in
            guard case .object(var object) = indicator else { return indicator }
            let rate = indicator["kind"] == "rate"
            func shown(_ value: Double?) -> String {
                guard let value else { return "-" }
                return rate ? String(format: "%.1f%%", value * 100) : String(Int64(value))
            }
            object["shown"] = .string(shown(indicator["value"]?.doubleValue) + (rate ? " (\(indicator["numerator"]?.intValue ?? 0)/\(indicator["denominator"]?.intValue ?? 0))" : ""))
            object["goal"] = .string(shown(indicator["target"]?.doubleValue))
            return .object(object)
        }
        var text = "\(cell(report["from"])) to \(cell(report["to"]))\n\n"
        if report["rebuilding"] != nil { text += "(a rebuild is in progress: figures are partial)\n\n" }
        return text + recordTable(rows, [("PROGRAM", "program"), ("INDICATOR", "id"), ("VALUE", "shown"), ("TARGET", "goal"), ("STATUS", "status")])
    }
}

/// `banshictl rebuild`: re-derives every indicator from the stored history, showing progress.
struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Re-derive every indicator from banshi-reporting's stored history, with progress.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Start it and return at once.") var detach = false

    func run() throws {
        let reporting = ServiceCall(global: global, service: "reporting")
        let started = try reporting.result("rebuild")
        let total = max(started["total"]?.intValue ?? 0, 1)
        printError("banshictl: rebuilding indicators from \(started["total"]?.intValue ?? 0) events")
        if detach { return }
        while true {
            let state = try reporting.result("rebuild.status")
            let done = state["done"]?.intValue ?? 0
            let share = min(Double(done) / Double(max(total, state["total"]?.intValue ?? total)), 1)
            let bar = String(repeating: "#", count: Int(share * 40)).padding(toLength: 40, withPad: ".", startingAt: 0)
            FileHandle.standardError.write(Data("\r[\(bar)] \(String(format: "%3.0f", share * 100))% \(done) events".utf8))
            if state["finished"] == true {
                FileHandle.standardError.write(Data("\n".utf8))
                print("rebuilt: \(done) events replayed")
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
    @Option(help: "Only this subject.") var subject: String?
    @Option(help: "Only this flow.") var correlation: String?
    @Option(help: "At or after this RFC 3339 time.") var from: String?
    @Option(help: "Before this RFC 3339 time.") var to: String?
    @Option(help: "At most this many (1 to 10000).") var limit: Int = 100

    func run() throws {
        var args: [String: JSONValue] = ["limit": .int(Int64(limit))]
        for (key, value) in [("source", source), ("type", type), ("subject", subject), ("correlation_id", correlation), ("from", from), ("to", to)] {
            if let value { args[key] = .string(value) }
        }
        try options.show(service: "reporting", "history.query", args) { result in
            recordTable(result["events"]?.arrayValue, [
                ("TIME", "time"), ("SOURCE", "source"), ("SEQ", "seq"), ("EVENT", "type"), ("SUBJECT", "subject"), ("FLOW", "correlation_id"),
            ])
        }
    }
}
