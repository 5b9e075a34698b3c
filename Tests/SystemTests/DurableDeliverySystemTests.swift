import BanshiKit
import BanshiTesting
import Foundation
import SQLite
import Glibc
import Synchronization
import Testing
import ZeroMQ

/// The delivery guarantees, proven with real processes killed at awkward moments.
@Suite("System: durable delivery")
struct DurableDeliverySystemTests {
    static let sinkKeys = ["loadsink": "follow = [\"loadgen\"]"]
    static let fastHeartbeat = "heartbeat_interval_ms = 100"

    /// Checks that the sink applied exactly the events `loadgen` logged: same count, same ids, each once,
    /// in seq order.
    func expectExactlyOnce(_ probe: DeliveryProbe, total: Int64) async throws {
        try await probe.waitForApplied(total)
        let applied = try await probe.applied()
        let logged = try await probe.logged("loadgen")
        #expect(logged.count == Int(total))
        #expect(applied.count == Int(total), "applied \(applied.count) rows for \(total) events")
        #expect(Set(applied.map(\.id)) == Set(logged.map(\.id)))
        #expect(applied.map(\.seq) == Array(1...total), "applied in seq order, each once")
        let summary = try await probe.summary()
        #expect(summary["duplicates"] == 0)
    }

    /// Logs `thousands` × 1,000 events (each with `payloadBytes` of filler) at loadgen, then starts a
    /// loadsink, checks that it applied every one exactly once, and runs `body`.
    func lateJoin(thousands: Int, payloadBytes: Int64 = 0, _ body: (TestSuite) async throws -> Void) async throws {
        try await TestSuite.with(services: ["loadgen", "loadsink"], runtime: Self.fastHeartbeat, serviceKeys: Self.sinkKeys) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            for _ in 0..<thousands {
                _ = try await suite.call("loadgen", "emit", ["count": 1000, "payload_bytes": .int(payloadBytes)]).get()
            }
            try await suite.start("loadsink")
            try await expectExactlyOnce(DeliveryProbe(suite), total: Int64(thousands) * 1000)
            try await body(suite)
        }
    }

    /// Runs `body` with the bus, loadgen and a loadsink following it, all started.
    static func withPipeline(_ body: (TestSuite) async throws -> Void) async throws {
        try await TestSuite.with(services: ["loadgen", "loadsink"], runtime: fastHeartbeat, serviceKeys: sinkKeys) { suite in
            for name in ["bus", "loadgen", "loadsink"] { try await suite.start(name) }
            try await body(suite)
        }
    }

    @Test("10,000 events; the subscriber is SIGKILLed at 3 random points and restarted; every event applied exactly once")
    func subscriberKilled() async throws {
        try await Self.withPipeline { suite in
            let probe = DeliveryProbe(suite)
            var random = SystemRandomNumberGenerator()
            let killPoints = Set((5..<95).shuffled(using: &random).prefix(3))  // three distinct points
            for batch in 0..<100 {
                _ = try await suite.call("loadgen", "emit", ["count": 100]).get()
                if killPoints.contains(batch) {
                    // Let the sink get part-way through what is in flight, then kill it mid-apply.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0..<30, using: &random)))
                    suite.processes["loadsink"]?.signal(SIGKILL)
                    _ = await suite.processes["loadsink"]?.waitForExit()
                    try await suite.start("loadsink")
                }
            }
            try await expectExactlyOnce(probe, total: 10_000)
        }
    }

    @Test("The publisher is SIGKILLed mid-burst: every acknowledged command's events arrive, none of a command that never ran")
    func publisherKilled() async throws {
        try await Self.withPipeline { suite in
            let acknowledged = IdSet()
            let sent = IdSet()
            let pid = try #require(suite.processes["loadgen"]?.pid)
            // Four clients send commands of 10 events each, concurrently, until the publisher dies. A call
            // that gets no answer in 2 s on a busy host is not the end: only the publisher's death is.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask {
                        for index in 0..<1000 {
                            let id = "burst-\(client)-\(index)"
                            sent.insert(id)
                            guard let reply = try? await suite.call("loadgen", "emit", ["count": 10], id: id, timeout: .seconds(2)),
                                (try? reply.get()) != nil
                            else {
                                if ServiceProcess.hasEnded(pid) { return }
                                continue
                            }
                            acknowledged.insert(id)
                        }
                    }
                }
                group.addTask {
                    // Generous: on a slow hour of a two-core host, amid the whole suite, 200 answers
                    // have taken longer than 30 s; the test is about what survives the kill.
                    try await waitFor(.seconds(120)) { acknowledged.count >= 200 }
                    suite.processes["loadgen"]?.signal(SIGKILL)
                }
                try await group.waitForAll()
            }
            try await suite.start("loadgen")
            let lastSeq = try await suite.call("loadgen", "status").get()["last_seq"]?.intValue ?? 0
            let probe = DeliveryProbe(suite)
            try await probe.waitForApplied(lastSeq)
            let applied = try await probe.applied()
            let byCommand = Dictionary(grouping: applied, by: { $0.causationid ?? "" })
            let acked = acknowledged.values
            #expect(acked.count >= 200)
            #expect(acked.isSubset(of: Set(byCommand.keys)), "every acknowledged command's events were delivered")
            #expect(Set(byCommand.keys).isSubset(of: sent.values), "no event of a command that was never sent")
            #expect(byCommand.values.allSatisfy { $0.count == 10 }, "a command's events arrive all together or not at all")
            #expect(applied.map(\.seq) == Array(1...lastSeq))
        }
    }

    @Test("The bus is restarted mid-stream; a tail lost while it was down is noticed through heartbeats and healed")
    func busRestarted() async throws {
        try await Self.withPipeline { suite in
            let probe = DeliveryProbe(suite)
            _ = try await suite.call("loadgen", "emit", ["count": 1000]).get()
            try await probe.waitForApplied(1000)

            suite.processes["bus"]?.signal(SIGKILL)
            _ = await suite.processes["bus"]?.waitForExit()
            _ = try await suite.call("loadgen", "emit", ["count": 1000]).get()
            // The publisher dies too, so the 1000 events it held for the bus are never sent: the
            // outbox has them, the wire does not.
            suite.processes["loadgen"]?.signal(SIGKILL)
            _ = await suite.processes["loadgen"]?.waitForExit()
            try await suite.start("loadgen")
            try await suite.start("bus")
            // No new event follows: only the heartbeat's last_seq tells the sink what it missed.
            try await probe.waitForApplied(2000)
            _ = try await suite.call("loadgen", "emit", ["count": 1000]).get()
            try await expectExactlyOnce(probe, total: 3000)
            let status = try await suite.call("loadsink", "status").get()
            #expect((status["subscriptions"]?["loadgen"]?["events_fetched"]?.intValue ?? 0) >= 1000)
        }
    }

    @Test("A subscriber with a tiny high-water mark falls behind, loses events on the bus, and heals through events.since")
    func tinyHighWaterMark() async throws {
        try await TestSuite.with(
            services: ["loadgen", "loadsink"], runtime: Self.fastHeartbeat, bus: "high_water_mark = 10",
            serviceKeys: ["loadsink": "follow = [\"loadgen\"]\nreceive_hwm = 1"]
        ) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            try await suite.start("loadsink")
            for _ in 0..<4 {
                _ = try await suite.call("loadgen", "emit", ["count": 5000]).get()
            }
            let probe = DeliveryProbe(suite)
            try await expectExactlyOnce(probe, total: 20_000)
            try await waitFor { (try? await suite.call("loadsink", "status").get())?["subscriptions"]?["loadgen"]?["lag"] == 0 }
            let progress = try await suite.call("loadsink", "status").get()["subscriptions"]?["loadgen"]
            #expect((progress?["events_fetched"]?.intValue ?? 0) > 0, "some events came through events.since")
        }
    }

    @Test("A followed source that is down does not keep the subscriber from the others, and status says so")
    func deadSource() async throws {
        try await TestSuite.with(
            services: ["loadgen", "loadsink", "lawyer"], runtime: Self.fastHeartbeat,
            serviceKeys: ["loadsink": "follow = [\"loadgen\", \"lawyer\"]"]
        ) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            try await suite.start("loadsink")
            _ = try await suite.call("loadgen", "emit", ["count": 1000]).get()
            try await DeliveryProbe(suite).waitForApplied(1000)
            // Liveness follows the applied events by a moment: the cursor commits first.
            try await waitFor {
                (try? await suite.call("loadsink", "status").get())?["subscriptions"]?["loadgen"]?["source_state"] == "alive"
            }
            let subscriptions = try await suite.call("loadsink", "status").get()["subscriptions"]
            // lawyer is configured but never started here.
            #expect(subscriptions?["lawyer"]?["source_state"] == "unknown")
            #expect(subscriptions?["lawyer"]?["last_error"]?.stringValue?.contains("lawyer did not answer") == true)
        }
    }

    @Test("The sink's latency report counts each applied event once, and splits each latency where its transaction starts")
    func latencyReport() async throws {
        try await Self.withPipeline { suite in
            for _ in 0..<5 { _ = try await suite.call("loadgen", "emit", ["count": 40]).get() }
            try await DeliveryProbe(suite).waitForApplied(200)
            let report = try await suite.call("loadsink", "latency.report").get()
            #expect(report["count"] == 200)
            func micros(_ key: String) throws -> Int64 { try #require(report[key]?.intValue, "\(key) in \(report)") }
            // Each latency is the sum of its parts, so every percentile of the whole is at least the
            // same percentile of either part, and no part is negative.
            for percentile in ["p50", "p99"] {
                let whole = try micros("\(percentile)_us")
                let before = try micros("before_apply_\(percentile)_us")
                let inApply = try micros("in_apply_\(percentile)_us")
                #expect(before >= 0 && inApply >= 0)
                #expect(whole >= before && whole >= inApply, "\(percentile): \(whole) against \(before) and \(inApply)")
            }
            _ = try await suite.call("loadsink", "latency.reset").get()
            #expect(try await suite.call("loadsink", "latency.report").get()["count"] == 0)
        }
    }

    @Test("A late joiner that starts after 5,000 events gets all of them")
    func lateJoiner() async throws {
        try await lateJoin(thousands: 5) { suite in
            try await waitFor {
                (try? await suite.call("loadsink", "status").get())?["subscriptions"]?["loadgen"]?["source_state"] == "alive"
            }
            let status = try await suite.banshictl(["status"])
            let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("loadsink") && $0.contains("loadgen") }
            #expect(row?.contains("5000") == true)
            #expect(row?.contains("alive") == true)
        }
    }

    @Test("A late joiner catching up on events too large for full pages gets each once, each page starting where the last one ended")
    func lateJoinerCutPages() async throws {
        // About 1.4 KB an envelope: a 4 MiB page holds some 3,000 of them, not the 5,000 catch-up asks
        // for, so the next page must be asked for after the last event a page held.
        try await lateJoin(thousands: 8, payloadBytes: 1000) { suite in
            let fetched = try await suite.call("loadsink", "status").get()["subscriptions"]?["loadgen"]?["events_fetched"]
            #expect(fetched == 8000, "each event taken from one page only")
            let pages = try await suite.call("loadgen", "status").get()["commands"]?["events.since"]?["ok"]?.intValue ?? 0
            #expect(pages >= 3, "pages were cut short by their size: \(pages) pages served")
        }
    }

    @Test("While another process holds the subscriber's database past its busy timeout, the batches that fail are fetched again and applied once")
    func applyFails() async throws {
        try await Self.withPipeline { suite in
            let probe = DeliveryProbe(suite)
            _ = try await suite.call("loadgen", "emit", ["count": 100]).get()
            try await probe.waitForApplied(100)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            let blocker = try DatabaseQueue(path: suite.databasePath("loadsink"), configuration: configuration)
            // The write lock is held across calls on purpose.
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            // For longer than the sink's busy timeout of 5 s, so that its transactions fail. Events keep
            // coming, several between two heartbeats, so that some are read on top of a batch that fails.
            var emitted: Int64 = 100
            let release = ContinuousClock.now + .milliseconds(6500)
            while ContinuousClock.now < release {
                _ = try await suite.call("loadgen", "emit", ["count": 20]).get()
                emitted += 20
                try await Task.sleep(for: .milliseconds(25))  // pacing of the load driver, not a wait for a condition
            }
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try blocker.close()
            try await expectExactlyOnce(probe, total: emitted)
            #expect(suite.processes["loadsink"]?.log.contains("applying events failed") == true)
        }
    }

    @Test("A subscriber whose disk fills retries without flooding its log (one error a minute), and once there is room applies every event exactly once")
    func subscriberDiskFull() async throws {
        if let reason = SmallDisk.unavailableReason() { Issue.record(Comment(rawValue: reason)); return }
        try await TestSuite.with(services: ["loadgen", "loadsink"], runtime: Self.fastHeartbeat, serviceKeys: Self.sinkKeys) { suite in
            let disk = try SmallDisk(at: suite.stateDirectory("loadsink"), kilobytes: 700)
            defer { disk.remove() }
            for name in ["bus", "loadgen", "loadsink"] { try await suite.start(name) }
            let probe = DeliveryProbe(suite)
            func failures() -> Int { (suite.processes["loadsink"]?.log.components(separatedBy: "applying events failed; will retry").count ?? 1) - 1 }
            var emitted: Int64 = 0
            while failures() == 0 && emitted < 200_000 {
                _ = try await suite.call("loadgen", "emit", ["count": 500]).get()
                emitted += 500
            }
            #expect(failures() == 1)
            let firstFailure = ContinuousClock.now
            // It keeps retrying (each retry fetches the batch again), and says so once a minute.
            let fetched = try await suite.call("loadsink", "status").get()["subscriptions"]?["loadgen"]?["events_fetched"]?.intValue ?? 0
            try await waitFor {
                (try await suite.call("loadsink", "status").get()["subscriptions"]?["loadgen"]?["events_fetched"]?.intValue ?? 0) > fetched + 1000
            }
            #expect(failures() <= 1 + Int((ContinuousClock.now - firstFailure) / .seconds(60)))
            try disk.resize(kilobytes: 65_536)
            try await expectExactlyOnce(probe, total: emitted)
            #expect(suite.processes["loadsink"]?.log.contains("applying events again") == true)
        }
    }

    @Test("A source whose events.since page skips a seq is refused with the gap named in status, and nothing of that page is applied")
    func gappedPage() async throws {
        try await TestSuite.with(services: ["loadgen", "loadsink"], runtime: Self.fastHeartbeat, serviceKeys: Self.sinkKeys) { suite in
            try await suite.start("bus")
            // loadgen is not started: a socket of the test's answers on its control endpoint instead,
            // every events.since with the events of seqs 1, 2 and 4.
            let type = try Topic("loadgen.sample.emitted")
            let events = [Int64(1), 2, 4].map { seq in
                EventEnvelope(service: "loadgen", type: type, time: Timestamp(), subject: "sample/\(seq)", data: [:], seq: seq).serialized()
            }
            let fake = FakeSource(context: suite.context, endpoint: suite.control("loadgen")) { request in
                guard request.command == "events.since" else { return nil }
                return #"{"id":"\#(request.id)","ok":true,"result":{"events":[\#(events.joined(separator: ","))],"has_more":false,"last_seq":4}}"#
            }
            var lastError: String?
            do {
                try await waitFor { fake.isListening }
                try await suite.start("loadsink")
                try await waitFor {
                    lastError = (try? await suite.call("loadsink", "status").get())?["subscriptions"]?["loadgen"]?["last_error"]?.stringValue
                    return lastError?.contains("loadgen's log skipped from 2 to 4") == true
                }
            } catch {
                Issue.record("\(error); the sink's last error for loadgen: \(lastError ?? "none")")
            }
            // Its socket is closed before the suite's context ends, whatever happened above.
            try await fake.stop()
            #expect(fake.answered > 0)
            #expect(try await DeliveryProbe(suite).applied().isEmpty, "nothing of the page is applied, not even the events before the gap")
            #expect(try await DeliveryProbe(suite).summary()["count"] == 0)
        }
    }

    @Test("Hostile messages on the bus are skipped and logged; the events around them are applied exactly once")
    func hostileBusMessages() async throws {
        try await Self.withPipeline { suite in
            _ = try await suite.call("loadgen", "emit", ["count": 50]).get()
            let publishers = try await suite.call("bus", "status").get()["publishers"]?.intValue ?? 0
            let publisher = try Socket(suite.context, .pub)
            try publisher.setLinger(.zero)
            try publisher.connect(suite.publishEndpoint)
            // The bus has accepted the connection, and the sink's subscription has reached it.
            try await waitFor { (try await suite.call("bus", "status").get()["publishers"]?.intValue ?? 0) > publishers }
            let probeTopic = Array("loadgen.sample.probe".utf8)
            try await waitFor {
                let before = try await suite.call("bus", "status").get()["messages_forwarded"]?.intValue ?? 0
                try publisher.send(parts: [probeTopic])
                return (try await suite.call("bus", "status").get()["messages_forwarded"]?.intValue ?? 0) > before
            }
            let topic = Array("loadgen.sample.emitted".utf8)
            let almost = try EventEnvelope(
                service: "loadgen", type: Topic("loadgen.sample.emitted"), time: Timestamp(), subject: nil, data: [:], seq: 1
            ).serialized().replacingOccurrences(of: "\"seq\":1", with: "\"seq\":\"1\"")
            let hostile: [[[UInt8]]] = [
                [topic], [topic, [], []], [topic, Array("not json".utf8)], [topic, []], [topic, Array(almost.utf8)],
                [topic, Array("{\"specversion\":\"1.0\"}".utf8)], [Array("loadgen.heartbeat.sent".utf8), Array("garbage".utf8)],
            ]
            for message in hostile { try publisher.send(parts: message) }
            _ = try await suite.call("loadgen", "emit", ["count": 50]).get()
            try await expectExactlyOnce(DeliveryProbe(suite), total: 100)
            #expect(suite.processes["loadsink"]?.isRunning == true)
            let log = suite.processes["loadsink"]?.log ?? ""
            for reason in ["a message of 1 frames", "a message of 3 frames", "not a JSON object", "'seq' must be an integer", "'id' must be a string"] {
                #expect(log.contains(reason), "the sink's log names \(reason)")
            }
        }
    }
}

/// Answers on a followed service's control endpoint in its place, from a thread of its own (a
/// thread, not a task: the cooperative pool may be busy for seconds when the whole suite runs).
final class FakeSource: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    private let answers = Atomic<Int>(0)

    /// `answer` gives the reply's text to a request, or `nil` to leave it unanswered.
    init(context: Context, endpoint: String, answer: @escaping @Sendable (CommandRequest) -> String?) {
        startThread(named: "fake-source") { [self] in
            defer { ended.store(true, ordering: .releasing) }
            do {
                let router = try Socket(context, .router)
                try router.setLinger(.zero)
                try router.bind(endpoint)
                listening.store(true, ordering: .releasing)
                let poller = Poller()
                _ = poller.add(router)
                while !stopping.load(ordering: .acquiring) {
                    guard try poller.poll(timeout: .milliseconds(50)) > 0 else { continue }
                    // [peer, delimiter, request], as a ControlClient sends it.
                    guard let frames = try router.receiveMultipart(dontWait: true), frames.count == 3,
                        let request = try? CommandRequest.parse(frames[2]).get(), let reply = answer(request)
                    else { continue }
                    _ = try router.send(parts: [frames[0], [], Array(reply.utf8)])
                    answers.add(1, ordering: .releasing)
                }
            } catch {
                Issue.record("the fake source failed: \(error)")
            }
        }
    }

    var isListening: Bool { listening.load(ordering: .acquiring) || ended.load(ordering: .acquiring) }
    var answered: Int { answers.load(ordering: .acquiring) }

    /// Stops the thread and waits until its socket is closed (before the suite's context ends).
    func stop() async throws {
        stopping.store(true, ordering: .releasing)
        try await waitFor { ended.load(ordering: .acquiring) }
    }
}

/// A set of ids shared by concurrent senders.
final class IdSet: Sendable {
    private let ids = Mutex<Set<String>>([])
    func insert(_ id: String) { ids.withLock { _ = $0.insert(id) } }
    var count: Int { ids.withLock { $0.count } }
    var values: Set<String> { ids.withLock { $0 } }
}
