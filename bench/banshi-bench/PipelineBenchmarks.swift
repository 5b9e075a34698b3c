import BanshiKit
import BanshiTesting
import Foundation
import ZeroMQ

/// The pipeline as a user sees it: bus, loadgen (publisher) and loadsink (durable subscriber).
enum PipelineBenchmarks {
    /// The phases that run on the suite, in the order they run.
    static let phases = ["rtt", "closed", "max", "steady", "burst", "catch-up", "memory"]

    static func run(_ options: Options, into report: inout Report) async throws {
        var failure: (any Error)?
        var collected = report
        try await TestSuite.with(
            services: ["loadgen", "loadsink"], runtime: "heartbeat_interval_ms = 200",
            serviceKeys: ["loadsink": "follow = [\"loadgen\"]"]
        ) { suite in
            do {
                try await measure(suite, options, into: &collected)
            } catch {
                failure = error
            }
        }
        report = collected
        if let failure { throw failure }
    }

    private static func measure(_ suite: TestSuite, _ options: Options, into report: inout Report) async throws {
        try await suite.start("bus")
        try await suite.start("loadgen")
        try await suite.start("loadsink")
        let run = Phases(suite: suite, options: options, prefix: String(UUID().uuidString.prefix(8)))
        if options.runs("rtt") { try await run.openLoopRoundTrip(into: &report) }
        if options.runs("closed") { try await run.closedLoopRoundTrip(into: &report) }
        if options.runs("max") { try await run.maximumCommandRate(into: &report) }
        if options.runs("steady") { try await run.steadyCommitToApplied(into: &report) }
        if options.runs("burst") { try await run.endToEnd(into: &report) }
        var fresh: ServiceProcess?
        defer { fresh?.signal() }
        if options.runs("catch-up") { fresh = try await run.catchUp(into: &report) }
        if options.runs("memory") { run.memory(catchUp: fresh, into: &report) }
    }

    /// The phases, each on the suite that the ones before it left behind.
    struct Phases {
        let suite: TestSuite
        let options: Options
        /// Labels this run's request ids.
        let prefix: String

        var steadyCommands: Int { 1000 * options.seconds }

        /// Drives `loadgen` with `total` commands of `emit count=events`, ids labelled for this run.
        func emit(_ label: String, total: Int, events: Int64, perSecond: Double?, window: Int) async throws -> CommandLoad.Result {
            try await CommandLoad.drive(
                context: suite.context, endpoint: suite.control("loadgen"), total: total, perSecond: perSecond, window: window
            ) { [prefix] in CommandRequest(id: "\(prefix)-\(label)-\($0)", command: "emit", args: ["count": .int(events)]) }
        }

        /// Command round trip at a steady rate: each command is a durable write of one event.
        func openLoopRoundTrip(into report: inout Report) async throws {
            let steady = try await emit("rtt", total: steadyCommands, events: 1, perSecond: 1000, window: 1000)
            report.addPercentiles(
                "command_rtt_us", "command round trip at a steady 1,000 commands/s, open loop (p50 / p99 / p999)", steady.latencies,
                note: "\(steadyCommands.formatted()) `emit count=1`, each a durable transaction; \(steady.failures) failed")
        }

        /// The same, one command in flight at a time: the service's own latency, without the queueing
        /// that a stall imposes on the commands behind it in the open-loop run.
        func closedLoopRoundTrip(into report: inout Report) async throws {
            let closed = try await emit("closed", total: steadyCommands, events: 1, perSecond: 1000, window: 1)
            report.addPercentiles(
                "command_rtt_closed_loop_us", "command round trip, one in flight (p50 / p99 / p999)", closed.latencies,
                note: "closed loop: the next command leaves when the last reply is in; \(closed.failures) failed")
        }

        /// The maximum command rate: 64 outstanding, group commit does the rest.
        func maximumCommandRate(into report: inout Report) async throws {
            let flood = try await emit("max", total: 20_000, events: 1, perSecond: nil, window: 64)
            let (maxRate, maxDisplay) = rate(20_000, flood.elapsed)
            report.add(
                "max_commands_per_second", "maximum command rate (64 in flight)", .double(maxRate), display: maxDisplay,
                note: "p99 \(ms(CommandLoad.percentile(flood.latencies, 0.99))) at that rate; \(flood.failures) failed")
            try await waitForSink(suite, through: try await lastSeq(suite))
        }

        /// Commit-to-applied latency at a steady 20,000 events/s (1,000 commands of 20 events a second).
        func steadyCommitToApplied(into report: inout Report) async throws {
            _ = try await suite.call("loadsink", "latency.reset").get()
            let steadyEvents = try await emit("steady", total: steadyCommands, events: 20, perSecond: 1000, window: 1000)
            try await waitForSink(suite, through: try await lastSeq(suite))
            let latency = try await suite.call("loadsink", "latency.report").get()
            /// The percentile `key` of the report, in milliseconds.
            func at(_ key: String) -> String { ms(latency[key]?.intValue ?? 0) }
            report.add(
                "steady_20k_commit_to_applied_us", "commit-to-applied at 20,000 events/s (p50 / p99 / p999)", latency,
                display: "\(at("p50_us")) / \(at("p99_us")) / \(at("p999_us"))",
                note: "\((latency["count"]?.intValue ?? 0).formatted()) events over \(options.seconds) s, 1,000 commands/s of 20 events, stamped when appended (before the commit); \(steadyEvents.failures) commands failed; "
                    + "before the sink's transaction starts (loadgen's commit and sync, the bus, the sink's receiving) p50 / p99 "
                    + "\(at("before_apply_p50_us")) / \(at("before_apply_p99_us")), in it \(at("in_apply_p50_us")) / \(at("in_apply_p99_us"))")
        }

        /// Durable end-to-end throughput: N events, commit to applied by the durable subscriber.
        func endToEnd(into report: inout Report) async throws {
            let base = try await lastSeq(suite)
            let perCommand = 10_000
            let commands = max(1, options.events / perCommand)
            let names = ["loadgen", "bus", "loadsink"]
            let cpuBefore = cpuSeconds(of: names, in: suite)
            let start = ContinuousClock.now
            let burst = try await emit("burst", total: commands, events: Int64(perCommand), perSecond: nil, window: 4)
            let total = commands * perCommand
            try await waitForSink(suite, through: base + Int64(total))
            let elapsed = ContinuousClock.now - start
            let cpuAfter = cpuSeconds(of: names, in: suite)
            let perEvent = zip(cpuBefore, cpuAfter).map { before, after in (after - before) / Double(total) * 1e6 }
            let (throughput, display) = rate(total, elapsed)
            let (commitRate, commitDisplay) = rate(total, burst.elapsed)
            report.add(
                "durable_end_to_end_per_second", "durable end to end: commit → bus → applied by a durable subscriber",
                .double(throughput), display: display,
                note: "\(total.formatted()) events in \(String(format: "%.1f", elapsed.timeInterval)) s (publisher alone committed \(commitDisplay))")
            report.values["publisher_commit_per_second"] = .double(commitRate)
            report.add(
                "cpu_us_per_event", "CPU time per event in that run (loadgen / bus / loadsink)",
                .object(Dictionary(uniqueKeysWithValues: zip(names, perEvent.map(JSONValue.double)))),
                display: perEvent.map { String(format: "%.1f µs", $0) }.joined(separator: " / "),
                note: String(format: "%.1f µs in all, user and system, threads included", perEvent.reduce(0, +)))
        }

        /// Catch-up: a fresh subscriber applies the whole log through events.since. Returns it, still running.
        func catchUp(into report: inout Report) async throws -> ServiceProcess {
            let logEnd = try await lastSeq(suite)
            let catchUpConfig = suite.directory.file("catch-up.toml")
            let sinkPort = FreePort.endpoint()
            let text = try String(contentsOfFile: suite.configPath, encoding: .utf8)
                .replacingOccurrences(of: "data_dir = \"\(suite.directory.file("var"))\"", with: "data_dir = \"\(suite.directory.file("catch-up"))\"")
                .replacingOccurrences(of: suite.control("loadsink"), with: sinkPort)
            try text.write(toFile: catchUpConfig, atomically: true, encoding: .utf8)
            let catchUpStart = ContinuousClock.now
            let fresh = try ServiceProcess(
                "banshi-loadsink", arguments: ["--config", catchUpConfig], logPath: suite.directory.file("catch-up.log"))
            do {
                try await waitForApplied(endpoint: sinkPort, context: suite.context, through: logEnd)
            } catch {
                fresh.signal()  // the caller stops it only once it is returned
                throw error
            }
            let catchUp = ContinuousClock.now - catchUpStart
            let (catchUpRate, catchUpDisplay) = rate(Int(logEnd), catchUp)
            report.add(
                "catch_up_seconds", "catch-up of a fresh subscriber from the log", .double(catchUp.timeInterval),
                display: String(format: "%.1f s", catchUp.timeInterval),
                note: "\(logEnd.formatted()) events (\(catchUpDisplay), process start included)")
            report.values["catch_up_per_second"] = .double(catchUpRate)
            return fresh
        }

        /// Memory high-water marks.
        func memory(catchUp: ServiceProcess?, into report: inout Report) {
            var memory: [String: JSONValue] = [:]
            let processes = [
                ("bus", suite.processes["bus"]), ("loadgen", suite.processes["loadgen"]), ("loadsink", suite.processes["loadsink"]),
                ("catch-up sink", catchUp),
            ]
            for (name, process) in processes {
                if let process, let peak = peakResidentKiB(process.pid) { memory[name] = .int(peak) }
            }
            report.add(
                "peak_rss_kib", "peak resident memory (bus / loadgen / loadsink / catch-up sink)", .object(memory),
                display: ["bus", "loadgen", "loadsink", "catch-up sink"].map { "\((memory[$0]?.intValue ?? 0) / 1024) MiB" }
                    .joined(separator: " / "))
        }
    }

    static func ms(_ micros: Int64) -> String { String(format: "%.2f ms", Double(micros) / 1000) }

    static func lastSeq(_ suite: TestSuite) async throws -> Int64 {
        try await suite.call("loadgen", "status").get()["last_seq"]?.intValue ?? 0
    }

    static func waitForSink(_ suite: TestSuite, through seq: Int64) async throws {
        try await waitForApplied(endpoint: suite.control("loadsink"), context: suite.context, through: seq)
    }

    /// Polls a sink's status until it has applied `loadgen` through `seq`.
    static func waitForApplied(endpoint: String, context: Context, through seq: Int64) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let applied = try? await onOwnThread { () -> Int64 in
                let client = try ControlClient(context: context, service: "loadsink", endpoint: endpoint, timeout: .seconds(5))
                return try client.call("status").get()["subscriptions"]?["loadgen"]?["applied_seq"]?.intValue ?? 0
            }
            if let applied, applied >= seq { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CommandError(.unavailable, "the sink did not reach seq \(seq) within 600 s")
    }

    /// CPU time each of `names`, services of `suite`, has used so far, in seconds (0 for one not running).
    static func cpuSeconds(of names: [String], in suite: TestSuite) -> [Double] {
        names.map { suite.processes[$0].flatMap { cpuSeconds($0.pid) } ?? 0 }
    }

    /// CPU time (user + system) a process has used so far, in seconds; `nil` once it is gone.
    static func cpuSeconds(_ pid: Int32) -> Double? {
        // utime and stime are fields 14 and 15 of proc(5), elements 11 and 12 after the command name.
        guard let fields = ServiceProcess.statFields(pid), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12])
        else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmHWM of a process, in KiB.
    static func peakResidentKiB(_ pid: Int32) -> Int64? { IdleBenchmark.procKiB(pid, "VmHWM") }
}
