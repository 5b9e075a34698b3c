import BanshiTesting
import Foundation
import Testing

/// The chaos soak (`scripts/chaos.py`), two minutes of it: the whole suite (on two hosts as network
/// namespaces where the machine allows, else under `banshictl up`), the flagship flow and bulk commands
/// on every program, a random service (the bus included) killed with SIGKILL every three seconds, and
/// a host cut off now and then. Nothing acknowledged may be lost and nothing applied twice.
@Suite("System: chaos")
struct ChaosSystemTests {
    @Test("Two minutes of kill -9 on random services under load: lost 0, duplicated 0")
    func twoMinutes() async throws {
        let seed = Int.random(in: 1...1_000_000)
        let run = try await TestSuite.runExternal(
            "/usr/bin/env",
            ["python3", "\(TestRepository.path)/scripts/chaos.py", "--bin", ServiceProcess.executableDirectory, "--minutes", "2", "--seed", "\(seed)"],
            timeout: .seconds(600))
        let summary = run.stdout.split(separator: "\n").last { $0.hasPrefix("chaos: ") }.map(String.init) ?? ""
        print(summary.isEmpty ? "chaos: no summary (seed \(seed))" : "\(summary) (seed \(seed))")
        #expect(run.status == 0, "seed \(seed): \(run.stdout)\(run.stderr)")
        #expect(summary.hasSuffix("lost 0, duplicated 0"), "seed \(seed): \(summary)")
        let kills = summary.firstMatch(of: /kills (\d+)/).flatMap { Int($0.1) } ?? 0
        #expect(kills >= 20, "services were killed: \(summary)")
        if NetworkHosts.unavailableReason() == nil {
            // Two hosts as namespaces, one cut off every 20 s for 5 s.
            let partitions = summary.firstMatch(of: /partitions (\d+)/).flatMap { Int($0.1) } ?? 0
            #expect(partitions >= 3, "hosts were cut off: \(summary)")
        }
    }
}
