import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// The real `banshi-bus` and a real publishing service, talking over tcp://127.0.0.1.
@Suite("System: the bus and a publisher")
struct BusSystemTests {
    @Test("Events published by a service reach a subscriber through the bus as well-formed envelopes")
    func publishThroughBus() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            // The sample events only: a heartbeat (loadgen.heartbeat.sent) would count as a sixth message.
            let subscriber = try EventSubscriber(context: suite.context, endpoint: suite.subscribeEndpoint, prefixes: ["loadgen.sample."])
            // Wait until the bus has forwarded our subscription, so that nothing is dropped as a slow joiner.
            try await waitFor { (try? await suite.call("bus", "status").get())?["topics"] == ["loadgen.sample."] }

            let reply = try await suite.call("loadgen", "emit", ["count": 5], id: "emit-1")
            #expect(try reply.get()["last_seq"] == 5)
            let messages = try await subscriber.receive(5)
            #expect(messages.count == 5)
            for (index, message) in messages.enumerated() {
                #expect(message.count == 2)
                let envelope = try EventEnvelope.decode(message[1])
                #expect(String(decoding: message[0], as: UTF8.self) == envelope.type)
                #expect(envelope.type == "loadgen.sample.emitted")
                #expect(envelope.source == "/banshi/loadgen")
                #expect(envelope.seq == Int64(index + 1))
                #expect(envelope.causationid == "emit-1")
                #expect(envelope.correlationid == envelope.id)
                #expect(envelope.subject == "sample/\(index + 1)")
            }
            let status = try await suite.call("bus", "status").get()
            #expect(status["messages_forwarded"]?.intValue == 5)
            #expect(status["subscribers"]?.intValue == 1)
            #expect(status["publishers"]?.intValue == 1)
        }
    }

    @Test("A correlation id on the request carries into the events it causes")
    func correlation() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let raw = try await suite.send(
                "loadgen", frames: [Array(#"{"id":"c-1","command":"emit","args":{"count":1},"correlationid":"flow-9"}"#.utf8)])
            #expect(try CommandReply.parse(raw).outcome == .success(["first_seq": 1, "last_seq": 1, "count": 1]))
            let page = try await suite.call("loadgen", "events.since", ["after_seq": 0]).get()
            #expect(page["events"]?.arrayValue?.first?["correlationid"] == "flow-9")
            #expect(page["events"]?.arrayValue?.first?["causationid"] == "c-1")
        }
    }

    @Test("banshictl status shows the bus up; after SIGTERM the bus exits 0 and status shows it down without hanging")
    func statusAndStop() async throws {
        try await TestSuite.with(services: []) { suite in
            let bus = try await suite.start("bus")

            let up = try await suite.banshictl(["status"])
            #expect(up.status == 0)
            let busLine = up.stdout.split(separator: "\n").first { $0.hasPrefix("bus ") }
            #expect(busLine?.contains(" up ") == true)
            #expect(busLine?.contains(String(bus.pid)) == true)
            #expect(up.stdout.contains(suite.publishEndpoint) && up.stdout.contains(suite.subscribeEndpoint))

            let json = try await suite.banshictl(["status", "--json"])
            let entry = try JSONValue.parse(Array(json.stdout.utf8))["services"]?.arrayValue?.first
            #expect(entry?["state"] == "up")
            #expect(entry?["version"] == .string(BanshiVersion.current))
            #expect(entry?["control"] == .string(suite.busControl))

            bus.signal(SIGTERM)
            #expect(await bus.waitForExit() == 0)
            #expect(bus.log.contains("msg=stopped"))

            let down = try await suite.banshictl(["status", "--timeout", "500"])
            #expect(down.status == 3)
            #expect(down.stdout.split(separator: "\n").first { $0.hasPrefix("bus ") }?.contains(" down ") == true)
            #expect(down.stdout.contains("bus did not answer at \(suite.busControl)"))
        }
    }
}
