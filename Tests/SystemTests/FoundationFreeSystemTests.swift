import BanshiKit
import BanshiTesting
import Testing

/// The services load no Foundation library: each would cost every process some 9 MB of memory
/// (docs/architecture.md). Read from the running processes, so a dependency that brings Foundation
/// back in, even for one type, fails here.
@Suite("System: the services without Foundation")
struct FoundationFreeSystemTests {
    @Test("Every service, started and answering, maps no Foundation library (Foundation, Essentials, Internationalization, ICU)")
    func noFoundation() async throws {
        let programs = ["children", "petition", "enterprise", "lawyer", "public-interest", "coordinator", "reporting"]
        try await TestSuite.with(
            services: programs, serviceKeys: ["petition": PetitionSystemTests.keys(), "public-interest": PublicInterestSystemTests.keys]
        ) { suite in
            var maps: [String: String] = [:]
            for service in ["bus"] + programs {
                let process = try await suite.start(service)
                // Read to the end: a /proc file has no size, and a reader that trusts one gets a part.
                maps[service] = try FileSystem.readText("/proc/\(process.pid)/maps") ?? ""
            }
            for (service, text) in maps.sorted(by: { $0.key < $1.key }) {
                let libraries = Set(text.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).last })
                    .filter { $0.hasSuffix(".so") || $0.contains(".so.") }
                #expect(libraries.contains { $0.contains("libswiftCore") }, "\(service): the maps were read")
                let foundation = libraries.filter { $0.contains("Foundation") }
                #expect(foundation.isEmpty, "\(service) maps \(foundation.sorted())")
            }
        }
    }
}
