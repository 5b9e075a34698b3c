import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// Several hosts, as network namespaces on a private bridge (`NetworkHosts`): the bus, coordinator and
/// reporting on one, the program services on another, a downstream subscriber (the Python example) on
/// a third; CURVE on, every socket over TCP between them. Then partitions and slow links while the
/// flagship flow runs, and the invariants afterwards.
@Suite("System: several hosts")
struct MultiHostSystemTests {
    static let placement = ["bus": "core", "coordinator": "core", "reporting": "core", "children": "programs", "petition": "programs"]

    /// Runs `body` with the three hosts made and every service started in its host.
    static func withHosts(_ body: (TestSuite, NetworkHosts) async throws -> Void) async throws {
        if let reason = NetworkHosts.unavailableReason() { Issue.record(Comment(rawValue: reason)); return }
        let hosts = try NetworkHosts(["core", "programs", "downstream"])
        defer { hosts.remove() }
        try await TestSuite.with(
            services: ["children", "petition", "coordinator", "reporting"], runtime: "heartbeat_interval_ms = 200",
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "coordinator": """
                    routes_file = "\(TestRepository.path)/config/routes.toml"
                    retry_base_ms = 100
                    retry_max_ms = 1000
                    """,
                "reporting": "targets_file = \"\(TestRepository.path)/config/targets.toml\"",
            ],
            curve: true, hosts: hosts, placement: placement
        ) { suite in
            for service in ["bus", "children", "petition", "coordinator", "reporting"] { try await suite.start(service) }
            try await body(suite, hosts)
        }
    }

    /// Decides (approves) every aid still in review, each once.
    static func decideAll(_ suite: TestSuite, cases: [String]) async throws {
        try await waitFor(.seconds(60)) { try await CoordinatorSystemTests.aidBySource(suite).filter { cases.contains($0.key) }.count == cases.count }
        for (_, aids) in try await CoordinatorSystemTests.aidBySource(suite) where aids.first?["status"] == "review" {
            guard let id = aids.first?["id"] else { continue }
            try await Runner(suite, service: "petition").ok("aid.decide", ["aid_id": id, "decision": "approved", "amount": 20_000, "now": .string(CoordinatorSystemTests.decidedAt)])
        }
    }

    /// Every referral has exactly one aid, every decision is recorded once on its case, reporting's
    /// history is the sum of the sources' logs, and every subscriber's lag is 0.
    static func expectInvariants(_ suite: TestSuite, cases: [String]) async throws {
        try await CoordinatorSystemTests.settled(suite)
        let aids = try await CoordinatorSystemTests.aidBySource(suite)
        for id in cases { #expect(aids[id]?.count == 1, "\(id): \(aids[id]?.count ?? 0) aids") }
        try await waitFor(.seconds(60)) {
            let recorded = try await CoordinatorSystemTests.log(suite, "children").filter { $0["type"] == "children.aid.recorded" }
            return Set(recorded.compactMap { $0["data"]?["case_id"]?.stringValue }).isSuperset(of: cases)
        }
        let recorded = try await CoordinatorSystemTests.log(suite, "children").filter { $0["type"] == "children.aid.recorded" }
        #expect(recorded.count == cases.count, "each decision recorded once: \(recorded.count) for \(cases.count)")
        try await ReportingSystemTests.caughtUp(suite, sources: ["children", "petition", "coordinator"])
        for subscriber in ["coordinator", "reporting"] {
            let subscriptions = try await Runner(suite, service: subscriber).ok("status")["subscriptions"]?.objectValue ?? [:]
            for (source, state) in subscriptions { #expect(state["lag"] == 0, "\(subscriber) lags \(source)") }
        }
    }

    @Test("Three hosts with CURVE: the flagship flow crosses them, and the Python example on the third host follows every event")
    func threeHosts() async throws {
        try await Self.withHosts { suite, hosts in
            var cases: [String] = []
            for _ in 0..<3 { cases.append(try await CoordinatorSystemTests.referral(suite).case) }
            try await Self.decideAll(suite, cases: cases)
            try await Self.expectInvariants(suite, cases: cases)
            let children = try await Runner(suite, service: "children").ok("status")["last_seq"]?.intValue ?? 0
            let petition = try await Runner(suite, service: "petition").ok("status")["last_seq"]?.intValue ?? 0
            let downstream = try await TestSuite.runExternal(
                "/usr/sbin/ip",
                [
                    "netns", "exec", hosts["downstream"].namespace, "/usr/bin/env", "python3", "\(TestRepository.path)/examples/downstream.py",
                    "--config", suite.configPath, "--key", "operator", "--until", "children=\(children)", "--until", "petition=\(petition)",
                    "--timeout", "60", "--summary", "--quiet",
                ], timeout: .seconds(90))
            #expect(downstream.status == 0, "\(downstream.stdout)\(downstream.stderr)")
            let summary = try JSONValue.parse(Array((downstream.stdout.split(separator: "\n").last ?? "").utf8))
            #expect(summary["sources"]?["children"]?["applied_seq"]?.intValue == children, "\(downstream.stdout)")
            #expect(summary["sources"]?["petition"]?["applied_seq"]?.intValue == petition)
            // The services talk across hosts: the bus sees publishers from the programs' host.
            #expect(try await suite.call("bus", "status").get()["publishers"]?.intValue ?? 0 >= 3)
        }
    }

    @Test("The core host (bus, coordinator, reporting) is cut off for 10 s while referrals keep coming, then the programs' link is slowed (100 ms, 5 % loss): every referral gets one aid, every decision is recorded once, reporting holds every event, no lag")
    func partitionAndSlowLink() async throws {
        try await Self.withHosts { suite, hosts in
            var cases: [String] = []
            for _ in 0..<3 { cases.append(try await CoordinatorSystemTests.referral(suite).case) }
            try hosts.cut("core")
            let cutAt = ContinuousClock.now
            // The programs still take referrals; their events wait in their logs.
            while ContinuousClock.now - cutAt < .seconds(10) {
                cases.append(try await CoordinatorSystemTests.referral(suite).case)
                try await Task.sleep(for: .milliseconds(500))  // pacing of the load during the partition
            }
            try hosts.heal("core")
            try await Self.decideAll(suite, cases: cases)

            let slowed = try hosts.slow("programs", delayMilliseconds: 100, lossPercent: 5)
            print("partition test: the programs' link slowed with \(slowed)")
            // Each call opens a connection; one whose SYN or handshake is dropped twice waits out 1 + 2 s
            // of retransmission timeouts on top of its ~1.2 s: within the suite's 30 s for a call.
            // The delay is in force: a status call crosses the link out and back, 100 ms each way.
            let start = ContinuousClock.now
            _ = try await Runner(suite, service: "children").ok("status")
            let roundTrip = ContinuousClock.now - start
            #expect(roundTrip >= .milliseconds(200), "a status call across the slowed link took \(roundTrip)")
            for _ in 0..<3 { cases.append(try await CoordinatorSystemTests.referral(suite).case) }
            try await Self.decideAll(suite, cases: cases)
            if let counts = hosts.slowLinkCounts("programs") {
                print("partition test: the user-space link forwarded \(counts.forwarded) frames and dropped \(counts.dropped)")
                #expect(counts.forwarded > 0 && counts.dropped > 0)
            }
            try hosts.unslow("programs")
            try await Self.expectInvariants(suite, cases: cases)
        }
    }
}
