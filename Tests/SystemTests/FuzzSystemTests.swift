import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// Every service's control socket against hostile input. `scripts/fuzz.sh` runs it with 100,000
/// frames per socket; the test suite runs a shorter pass (BANSHI_FUZZ_FRAMES, default 2,000).
@Suite("System: fuzzing the control sockets")
struct FuzzSystemTests {
    static let frames = Int(ProcessInfo.processInfo.environment["BANSHI_FUZZ_FRAMES"] ?? "") ?? 2000
    static let seed = UInt64(ProcessInfo.processInfo.environment["BANSHI_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)

    @Test("Random and mutated frames get a well-formed reply each, nothing crashes or hangs, and every service still answers status")
    func fuzzEveryService() async throws {
        let services = ["enterprise", "lawyer", "children", "petition", "public-interest", "coordinator", "reporting", "loadgen"]
        try await TestSuite.with(
            services: services,
            serviceKeys: [
                "enterprise": "scan_interval_ms = 0", "lawyer": LawyerSystemTests.lawyerKeys, "public-interest": PublicInterestSystemTests.keys,
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "coordinator": "follow = [\"children\", \"petition\"]\nroutes_file = \"\(TestRepository.path)/config/routes.toml\"",
                "reporting": ReportingSystemTests.reportingKeys(follow: ["children", "petition", "coordinator"]),
            ],
            curve: true
        ) { suite in
            for service in ["bus"] + services { try await suite.start(service) }
            for (index, service) in (["bus"] + services).enumerated() {
                let result = try await suite.fuzz(service, count: Self.frames, seed: Self.seed &+ UInt64(index))
                #expect(result.replies == Self.frames, "\(service), seed \(Self.seed)")
                #expect(result.malformed == 0, "\(service): \(result.malformed) malformed replies, seed \(Self.seed)")
                #expect(suite.processes[service]?.isRunning == true, "\(service) died, seed \(Self.seed)")
            }
            for service in ["bus"] + services {
                #expect(try await suite.call(service, "status").get()["service"] == .string(service))
            }
        }
    }
}
