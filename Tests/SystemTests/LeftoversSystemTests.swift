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
        // The rtt phase holds the pipeline up for its 600 s: long enough to be killed in the middle.
        let bench = try ServiceProcess(
            "banshi-bench", arguments: ["--only", "rtt", "--seconds", "600"], logPath: directory.file("bench.log"))
        defer { bench.signal(SIGKILL) }
        let script = "\(FileManager.default.temporaryDirectory.path)/banshi-leftovers-\(bench.pid).sh"

        // Its three services, once they run: the bench's children with a config.
        var services: [(pid: Int32, started: Substring)] = []
        try await waitFor(.seconds(120)) {
            services = Self.children(of: bench.pid).filter { Self.commandLine($0).contains("--config") }.compactMap { pid in
                ServiceProcess.statFields(pid).map { (pid, $0[19]) }
            }
            return services.count == 3
        }
        let config = Self.commandLine(services[0].pid).last ?? ""
        let dataDirectory = (config as NSString).deletingLastPathComponent
        #expect(dataDirectory.contains("banshi-test-"), "\(config)")
        #expect(FileManager.default.fileExists(atPath: dataDirectory))
        #expect(try String(contentsOfFile: script, encoding: .utf8).contains(dataDirectory))

        bench.signal(SIGKILL)
        #expect(await bench.waitForExit(within: .seconds(10)) == SIGKILL)
        try await waitFor(.seconds(30)) {
            // Ended: gone, a zombie, or its pid now another process's.
            services.allSatisfy { service in
                guard let fields = ServiceProcess.statFields(service.pid) else { return true }
                return fields[0] == "Z" || fields[19] != service.started
            }
        }
        try await waitFor(.seconds(10)) {
            !FileManager.default.fileExists(atPath: dataDirectory) && !FileManager.default.fileExists(atPath: script)
        }
    }

    /// The processes whose parent is `pid`, from `/proc` (field 4 of proc(5)).
    private static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { ServiceProcess.statFields($0)?.dropFirst().first == "\(pid)" }
    }

    /// The arguments `pid` was started with.
    private static func commandLine(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
