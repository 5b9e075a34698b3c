import BanshiKit
import BanshiTesting
import Foundation

/// The paths users take: the five program services' own commands, a routed flow through the
/// coordinator, reporting over all of it, and the suite at rest. Every process is the real release
/// executable on 127.0.0.1, driven over the wire.
enum ProgramBenchmarks {
    static let phases = ["commands", "flows", "reporting", "idle"]

    static func run(_ options: Options, into report: inout Report) async throws {
        if options.runsAny(["commands", "flows", "reporting"]) {
            var failure: (any Error)?
            var collected = report
            let keys = ProgramMix.keys(TestRepository.path)
            try await TestSuite.with(
                services: ProgramMix.services + ["coordinator", "reporting"], runtime: "heartbeat_interval_ms = 200", serviceKeys: keys
            ) { suite in
                do {
                    for service in ["bus"] + ProgramMix.services { try await suite.start(service) }
                    let run = Phases(suite: suite, options: options, prefix: String(UUID().uuidString.prefix(8)))
                    let mixes = try await ProgramMix.prepare(suite, decisions: (run.steadyPerService + run.maxPerService) / 3 + 1)
                    if options.runs("commands") { try await run.commands(mixes, into: &collected) }
                    if options.runs("flows") { try await run.flows(into: &collected) }
                    if options.runs("reporting") { try await run.reporting(mixes, into: &collected) }
                } catch {
                    failure = error
                }
            }
            report = collected
            if let failure { throw failure }
        }
        if options.runs("idle") { try await IdleBenchmark.run(into: &report) }
    }

    struct Phases {
        let suite: TestSuite
        let options: Options
        let prefix: String

        /// Commands per service in the steady run (200 a second each, all five at once).
        var steadyPerService: Int { 200 * options.seconds }
        /// Commands per service in its maximum-rate run.
        var maxPerService: Int { options.commands }

        /// The round trip at a steady 1,000 commands/s (200/s on each service), then each service's
        /// maximum rate with `--in-flight` requests outstanding (64) and the CPU time it took per command.
        func commands(_ mixes: [ProgramMix], into report: inout Report) async throws {
            let steady = try await withThrowingTaskGroup(of: CommandLoad.Result.self) { group in
                for mix in mixes {
                    group.addTask { [suite, prefix, steadyPerService] in
                        try await CommandLoad.drive(
                            context: suite.context, endpoint: suite.control(mix.service), total: steadyPerService, perSecond: 200, window: 1000
                        ) { mix.make("\(prefix)-steady", $0) }
                    }
                }
                return try await group.reduce(into: CommandLoad.Result()) { all, one in
                    all.latencies += one.latencies
                    all.failures += one.failures
                    all.failureSamples += one.failureSamples
                }
            }
            report.addPercentiles(
                "program_command_rtt_us", "program commands: round trip at a steady 1,000/s over the five services (p50 / p99 / p999)",
                steady.latencies, note: "\(steady.latencies.count.formatted()) commands, 200/s on each service; \(failures(steady))")
            var rates: [String: JSONValue] = [:]
            for mix in mixes {
                let names = [mix.service, "bus"]
                let transactionsBefore = try await suite.call(mix.service, "status").get()["write_transactions"]?.intValue ?? 0
                let before = PipelineBenchmarks.cpuSeconds(of: names, in: suite)
                let flood = try await CommandLoad.drive(
                    context: suite.context, endpoint: suite.control(mix.service), total: maxPerService, perSecond: nil, window: options.inFlight
                ) { [steadyPerService] in mix.make("\(prefix)-max", $0 + steadyPerService) }
                let after = PipelineBenchmarks.cpuSeconds(of: names, in: suite)
                let perCommand = zip(before, after).map { ($1 - $0) / Double(maxPerService) * 1e6 }
                let transactions = (try await suite.call(mix.service, "status").get()["write_transactions"]?.intValue ?? 0) - transactionsBefore
                let (perSecond, display) = rate(maxPerService, flood.elapsed)
                let perTransaction = Double(maxPerService) / Double(max(1, transactions))
                rates[mix.service] = .double(perSecond)
                report.add(
                    "program_commands_per_second_\(mix.service)", "program commands, \(options.inFlight) in flight: \(mix.service)", .double(perSecond),
                    display: display,
                    note: "\(mix.description); p99 \(PipelineBenchmarks.ms(CommandLoad.percentile(flood.latencies, 0.99))); \(String(format: "%.1f", perTransaction)) commands a transaction; CPU per command \(String(format: "%.0f µs service / %.0f µs bus / %.0f µs driver", perCommand[0], perCommand[1], flood.driverCPUSeconds / Double(maxPerService) * 1e6)); \(failures(flood))")
                let group = max(1, Int(perTransaction.rounded()))
                let replay = try CommandReplay.run(source: suite.databasePath(mix.service), perTransaction: group)
                let (replayRate, replayDisplay) = rate(replay.commands, replay.elapsed)
                report.add(
                    "program_commands_sqlite_per_second_\(mix.service)", "\(mix.service)'s commands, SQLite alone: their rows written again",
                    .double(replayRate), display: replayDisplay,
                    note: "\(replay.commands.formatted()) commands, \(replay.rows.formatted()) rows, \(group) commands a transaction, each with its reply lookup; the run at \(options.inFlight) in flight reached \(String(format: "%.2f", perSecond / replayRate)) of it")
            }
            report.values["program_commands_per_second"] = .object(rates)
            // The rates' keys are the same at any --in-flight: the figure they were taken at goes beside them.
            report.values["program_commands_in_flight"] = .int(Int64(options.inFlight))
        }

        /// Reporting over a history of `options.history` events: the five programs' logs filled with
        /// their mixes, a fresh reporting service catching up on all of them, then a report and a trace.
        func reporting(_ mixes: [ProgramMix], into report: inout Report) async throws {
            // Reporting follows every publisher; one that is not running would cost it a timeout.
            if suite.processes["coordinator"] == nil { try await suite.start("coordinator") }
            var logged = try await totalLogged()
            var round = 0
            while logged < Int64(options.history) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for mix in mixes {
                        group.addTask { [suite, prefix, round] in
                            _ = try await CommandLoad.drive(
                                context: suite.context, endpoint: suite.control(mix.service), total: 20_000, perSecond: nil, window: 64
                            ) { mix.make("\(prefix)-history\(round)", $0) }
                        }
                    }
                    try await group.waitForAll()
                }
                round += 1
                logged = try await totalLogged()
                FileHandle.standardError.write(Data("bench: history \(logged.formatted()) of \(options.history.formatted()) events\n".utf8))
            }
            let sourceNames = ProgramMix.services + ["coordinator"]
            let sources = try await lastSeqs(sourceNames)
            // CPU time of the sources (serving their logs a page at a time) and of reporting (all of
            // its life: it starts fresh): per event, a figure the host's other load moves less than
            // the rate.
            func cpuSeconds(_ names: [String]) -> Double { PipelineBenchmarks.cpuSeconds(of: names, in: suite).reduce(0, +) }
            let sourcesBefore = cpuSeconds(sourceNames)
            let start = ContinuousClock.now
            try await suite.start("reporting")
            try await waitFor(.seconds(1200)) {
                let applied = try await suite.call("reporting", "status").get()["subscriptions"]
                return sources.allSatisfy { (applied?[$0.key]?["applied_seq"]?.intValue ?? 0) >= $0.value }
            }
            let elapsed = ContinuousClock.now - start
            let total = Int(sources.values.reduce(0, +))
            let perEvent = [cpuSeconds(["reporting"]), cpuSeconds(sourceNames) - sourcesBefore].map { $0 / Double(max(1, total)) * 1e6 }
            let (perSecond, display) = rate(total, elapsed)
            report.add(
                "reporting_catch_up_per_second", "reporting: a fresh service catching up on every program's log", .double(perSecond),
                display: display,
                note: "\(total.formatted()) events in \(String(format: "%.1f", elapsed.timeInterval)) s, process start included; CPU per event \(String(format: "%.1f µs reporting / %.1f µs the sources", perEvent[0], perEvent[1]))")
            let replay = try HistoryReplay.run(source: suite.databasePath("reporting"))
            let (replayRate, replayDisplay) = rate(Int(replay.rows), replay.elapsed)
            report.add(
                "reporting_history_sqlite_per_second", "reporting's history schema, SQLite alone: those events copied by INSERT … SELECT",
                .double(replayRate), display: replayDisplay,
                note: "\(replay.rows.formatted()) rows, \(HistoryReplay.transaction.formatted()) a transaction, in a database opened as a service opens its own; the catch-up reached \(String(format: "%.2f", perSecond / replayRate)) of it")
            try await timeReporting("report", [:], key: "reporting_report_ms", "reporting: `report` (all programs, this year) on that history", into: &report)
            try await statusDuringReport(into: &report)
            // A referral's flow when the flows phase ran, else the first event's.
            var flow: JSONValue = .null
            for filter: [String: JSONValue] in [["type": "children.abuse.referred"], [:]] where flow == .null {
                flow = try await suite.call("reporting", "history.query", filter.merging(["limit": 1]) { $1 }).get()["events"]?
                    .arrayValue?.first?["correlation_id"] ?? .null
            }
            try await timeReporting(
                "trace", ["correlation_id": flow], key: "reporting_trace_ms", "reporting: `trace` of one flow on that history", into: &report)
            // What the metrics writer renders at each interval (every indicator, every service's status).
            try await timeReporting(
                "metrics", [:], key: "reporting_metrics_ms", "reporting: `metrics` (rendered at each metrics interval) on that history",
                into: &report)
        }

        /// Times one call of reporting's `command` and reports it in milliseconds.
        private func timeReporting(
            _ command: String, _ args: [String: JSONValue], key: String, _ title: String, into report: inout Report
        ) async throws {
            let time = try await ContinuousClock().measure { _ = try await suite.call("reporting", command, args, timeout: .seconds(600)).get() }
            report.add(key, title, .double(time.timeInterval * 1000), display: String(format: "%.1f ms", time.timeInterval * 1000))
        }

        /// `status`'s round trip while a `report` runs on that history: a long read runs beside the
        /// commands sent behind it.
        private func statusDuringReport(into report: inout Report) async throws {
            let (status, reportTime) = try await withThrowingTaskGroup(of: (Duration?, Duration?).self) { group in
                group.addTask { [suite] in
                    (nil, try await ContinuousClock().measure { _ = try await suite.call("reporting", "report", timeout: .seconds(600)).get() })
                }
                group.addTask { [suite] in
                    try await Task.sleep(for: .milliseconds(100))
                    return (try await ContinuousClock().measure { _ = try await suite.call("reporting", "status").get() }, nil)
                }
                var status: Duration = .zero
                var reportTime: Duration = .zero
                for try await (one, other) in group {
                    if let one { status = one }
                    if let other { reportTime = other }
                }
                return (status, reportTime)
            }
            report.add(
                "reporting_status_during_report_ms", "reporting: `status` sent 100 ms into a `report`", .double(status.timeInterval * 1000),
                display: String(format: "%.1f ms", status.timeInterval * 1000),
                note: String(format: "the report took %.0f ms", reportTime.timeInterval * 1000))
        }

        private func lastSeqs(_ services: [String]) async throws -> [String: Int64] {
            var seqs: [String: Int64] = [:]
            for service in services where suite.processes[service] != nil {
                seqs[service] = try await suite.call(service, "status").get()["last_seq"]?.intValue ?? 0
            }
            return seqs
        }

        private func totalLogged() async throws -> Int64 {
            try await lastSeqs(ProgramMix.services + ["coordinator"]).values.reduce(0, +)
        }
    }

    static func failures(_ result: CommandLoad.Result) -> String {
        result.failures == 0 ? "0 failed" : "\(result.failures) failed (\(result.failureSamples.joined(separator: "; ")))"
    }
}
