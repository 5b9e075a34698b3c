import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// Two buses: publishers send to both, subscribers listen to both, so that the bus is no single point
/// of failure.
@Suite("System: two buses")
struct TwoBusSystemTests {
    @Test("One bus of two is killed for good mid-stream: every event is applied exactly once, live (no gap to heal), and banshictl status names the bus that is down")
    func oneBusKilled() async throws {
        try await TestSuite.with(
            services: ["loadgen", "loadsink"], runtime: DurableDeliverySystemTests.fastHeartbeat,
            serviceKeys: DurableDeliverySystemTests.sinkKeys, curve: true, buses: ["bus-b"]
        ) { suite in
            for name in ["bus", "bus-b", "loadgen", "loadsink"] { try await suite.start(name) }
            // The sink listens to both buses, loadgen publishes to both.
            for bus in ["bus", "bus-b"] {
                try await waitFor {
                    let status = try await suite.call(bus, "status").get()
                    return status["subscribers"] == 1 && status["publishers"] == 1
                }
            }
            #expect(HardeningSystemTests.logged(suite, "bus-b", ["service=bus-b", "proxy bound", "bus=bus-b"]))
            let loadgen = Runner(suite, service: "loadgen")
            let probe = DeliveryProbe(suite)
            for _ in 0..<10 { try await loadgen.ok("emit", ["count": 100]) }
            try await probe.waitForApplied(1000)
            // Both buses carried every event; the sink kept one copy of each.
            for bus in ["bus", "bus-b"] {
                #expect(try await suite.call(bus, "status").get()["messages_forwarded"]?.intValue ?? 0 >= 1000)
            }

            // banshictl events tail listens to both and prints each event once.
            async let tail = suite.banshictl(["events", "tail", "loadgen.", "--count", "5"])
            for bus in ["bus", "bus-b"] {
                try await waitFor { (try await suite.call(bus, "status").get())["subscribers"] == 2 }
            }
            try await loadgen.ok("emit", ["count": 5])
            let tailed = try await tail
            let seqs = tailed.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first { $0.hasPrefix("#") } }
            #expect(seqs == ["#1001", "#1002", "#1003", "#1004", "#1005"], "\(tailed.stdout)")
            try await probe.waitForApplied(1005)

            suite.processes["bus"]?.signal(SIGKILL)
            _ = await suite.processes["bus"]?.waitForExit()
            for _ in 0..<10 { try await loadgen.ok("emit", ["count": 100]) }
            try await probe.waitForApplied(2005)
            let applied = try await probe.applied()
            #expect(applied.map(\.seq) == Array(1...2005), "each once, in order")
            #expect(try await probe.summary()["duplicates"] == 0)
            // Through bus-b live: nothing had to be fetched from loadgen's log.
            let sink = try await suite.call("loadsink", "status").get()
            #expect(sink["subscriptions"]?["loadgen"]?["gaps_healed"] == 0, "\(sink.serialized())")

            let status = try await suite.banshictl(["status", "--timeout", "500"])
            #expect(status.status == 3)
            let lines = status.stdout.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("bus ") && $0.contains(" down ") })
            #expect(lines.contains { $0.hasPrefix("bus-b ") && $0.contains(" up ") })
            #expect(status.stdout.contains("1 of 2 buses down (bus): events still flow through the other"), "\(status.stdout)")
        }
    }
}
