import BanshiTesting
import Foundation
import Glibc
import Testing

/// What a benchmark or test run that is killed leaves behind: nothing, once its watcher has run.
@Suite("System: a killed run leaves nothing behind")
struct LeftoversSystemTests {
    @Test("banshi-bench killed with SIGKILL while its services run: its watcher stops the bus, loadgen and loadsink it started and removes their data directory and its own script")
    func killedBench() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A bench that gave up on its start-up (a debug build amid the whole suite on two cores is
        // slow) is started again, at most three times: the test is about what a killed bench leaves.
        var started: (bench: ServiceProcess, services: [(pid: Int32, started: Substring)])?
        for attempt in 1...3 where started == nil {
            started = try await Self.benchWithServices(log: directory.file("bench-\(attempt).log"))
        }
        guard let (bench, services) = started else {
            throw TestSuiteError("banshi-bench ended before its services ran, three times; the last time:\n\((try? String(contentsOfFile: directory.file("bench-3.log"), encoding: .utf8)) ?? "")")
        }
        defer { bench.signal(SIGKILL) }
        let script = "\(FileManager.default.temporaryDirectory.path)/banshi-leftovers-\(bench.pid).sh"

        let dataDirectory = Self.dataDirectory(of: services[0].pid)
        #expect(dataDirectory.contains("banshi-test-"), "\(dataDirectory)")
        #expect(FileManager.default.fileExists(atPath: dataDirectory))
        #expect(try String(contentsOfFile: script, encoding: .utf8).contains(dataDirectory))

        #expect(bench.isRunning, "banshi-bench ended before it was killed; its log:\n\(bench.log)")
        bench.signal(SIGKILL)
        let status = await bench.waitForExit(within: .seconds(10))
        #expect(
            status == SIGKILL,
            "status \(status.map(String.init) ?? "none (still running)"), /proc state \(ServiceProcess.statFields(bench.pid)?.first ?? "gone"); its log:\n\(bench.log)")
        try await waitFor {
            // Ended: gone, a zombie, or its pid now another process's.
            services.allSatisfy { ServiceProcess.hasEnded($0.pid) || ServiceProcess.startTime($0.pid) != $0.started }
        }
        // The harness's usual limit: how soon is not what the test is about.
        try await waitFor {
            !FileManager.default.fileExists(atPath: dataDirectory) && !FileManager.default.fileExists(atPath: script)
        }
    }

    /// Starts `banshi-bench` (its rtt phase holds the pipeline up for 600 s: long enough to be killed
    /// in the middle) and waits for its three services, the bench's children with a config, and for
    /// the last of them (loadsink) to log that it serves: the bench is then past its start-up. `nil`
    /// if the bench ended first.
    private static func benchWithServices(log: String) async throws -> (ServiceProcess, [(pid: Int32, started: Substring)])? {
        let bench = try ServiceProcess(
            "banshi-bench", arguments: ["--only", "rtt", "--seconds", "600"], logPath: log, environment: [FreePort.nestedRunVariable: "1"])
        var services: [(pid: Int32, started: Substring)] = []
        var serving = false
        do {
            // Each of the three has the harness's 60 s to answer.
            try await waitFor(.seconds(240)) {
                services = children(of: bench.pid).filter { commandLine($0).contains("--config") }.compactMap { pid in
                    ServiceProcess.startTime(pid).map { (pid, $0) }
                }
                if services.count == 3 {
                    let sinkLog = "\(dataDirectory(of: services[0].pid))/loadsink.log"
                    serving = (try? String(contentsOfFile: sinkLog, encoding: .utf8))?.contains("serving") ?? false
                }
                return serving || ServiceProcess.hasEnded(bench.pid)
            }
        } catch {
            bench.signal(SIGKILL)
            throw TestSuiteError("\(error); banshi-bench's children: \(children(of: bench.pid).map(commandLine)); its log:\n\(bench.log)")
        }
        guard serving, !ServiceProcess.hasEnded(bench.pid) else {
            print("banshi-bench ended before its services ran:\n\(bench.log)")
            bench.signal(SIGKILL)
            return nil
        }
        return (bench, services)
    }

    /// The processes whose parent is `pid`, from `/proc` (field 4 of proc(5)).
    private static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { ServiceProcess.statFields($0)?.dropFirst().first == "\(pid)" }
    }

    /// The directory of the config that the service `pid` was started with (its last argument), where
    /// the bench's suite keeps its data and logs.
    private static func dataDirectory(of pid: Int32) -> String {
        ((commandLine(pid).last ?? "") as NSString).deletingLastPathComponent
    }

    /// The arguments `pid` was started with.
    private static func commandLine(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
