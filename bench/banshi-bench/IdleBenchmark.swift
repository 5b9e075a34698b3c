import BanshiKit
import BanshiTesting
import Foundation

/// The whole suite at rest: how long each service takes from its start to `READY=1` (what systemd
/// waits for), and its resident memory once it has been idle a few seconds.
enum IdleBenchmark {
    static let services = ["bus"] + ProgramMix.services + ["coordinator", "reporting"]

    static func run(into report: inout Report) async throws {
        let keys = ProgramMix.keys(TestRepository.path)
        var ready: [String: Duration] = [:]
        var resident: [String: Int64] = [:]
        var anonymous: [String: Int64] = [:]
        var proportional: [String: Int64] = [:]
        try await TestSuite.with(services: Array(services.dropFirst()), runtime: "heartbeat_interval_ms = 1000", serviceKeys: keys) { suite in
            for service in services {
                let listener = try NotifyListener(path: suite.directory.file("\(service).notify"))
                let start = ContinuousClock.now
                // The listener waits on its own thread while the service starts.
                let readyAt = Task { () throws -> ContinuousClock.Instant? in
                    let messages = try await listener.collect(within: .seconds(30)) { $0.contains { $0.hasPrefix("READY=1") } }
                    return messages.contains { $0.hasPrefix("READY=1") } ? ContinuousClock.now : nil
                }
                try await suite.start(service, environment: ["NOTIFY_SOCKET": listener.path])
                guard let at = try await readyAt.value else { throw TestSuiteError("\(service) sent no READY=1 within 30 s") }
                ready[service] = at - start
            }
            try await Task.sleep(for: .seconds(5))
            for service in services {
                guard let pid = suite.processes[service]?.pid else { continue }
                resident[service] = procKiB(pid, "VmRSS")
                anonymous[service] = procKiB(pid, "RssAnon")
                proportional[service] = procKiB(pid, "Pss", file: "smaps_rollup")
            }
        }
        report.add(
            "start_to_ready_ms", "start → READY=1, each service (ms)",
            .object(ready.mapValues { .double($0.timeInterval * 1000) }),
            display: services.map { "\($0) \(Int((ready[$0]?.timeInterval ?? 0) * 1000))" }.joined(separator: ", "),
            note: "one after another, each on an empty data directory; READY=1 comes once its sockets are bound and its database is open")
        report.add(
            "idle_rss_kib", "idle resident memory, each service: all (its own) in MiB", .object(resident.mapValues(JSONValue.int)),
            display: services.map { String(format: "%@ %.1f (%.1f)", $0, Double(resident[$0] ?? 0) / 1024, Double(anonymous[$0] ?? 0) / 1024) }
                .joined(separator: ", "),
            note: "VmRSS 5 s after the last one started, nothing sent to them; in brackets RssAnon, the rest is the code of the executable and its libraries (shared between the services)")
        report.values["idle_anon_kib"] = .object(anonymous.mapValues(JSONValue.int))
        let total = proportional.values.reduce(0, +)
        report.add(
            "idle_pss_kib", "idle proportional memory (PSS), each service and the suite, MiB", .object(proportional.mapValues(JSONValue.int)),
            display: services.map { String(format: "%@ %.1f", $0, Double(proportional[$0] ?? 0) / 1024) }.joined(separator: ", ")
                + String(format: "; suite %.1f", Double(total) / 1024),
            note: "Pss of smaps_rollup at the same moment: each shared page counted once across the processes that map it; the suite's sum is the memory the services take together")
    }

    /// A field of `/proc/<pid>/status` (`VmRSS`, `RssAnon`) or `smaps_rollup` (`Pss`), in KiB.
    static func procKiB(_ pid: Int32, _ field: String, file: String = "status") -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("\(field):") {
            return Int64(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "")
        }
        return nil
    }
}
