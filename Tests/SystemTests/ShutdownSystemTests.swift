import BanshiKit
import BanshiTesting
import Foundation
import Glibc
import Testing

/// What a service does with the requests it holds when it is told to stop.
@Suite("System: graceful shutdown")
struct ShutdownSystemTests {
    @Test("SIGTERM amid pipelined writes: what was received is committed and answered, what arrives later is refused as unavailable or never received; the log holds exactly the writes answered as committed; it stops cleanly")
    func answersWhatItHolds() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            let loadgen = try await suite.start("loadgen")
            func writes(_ name: String) -> [CommandRequest] {
                (0..<900).map { CommandRequest(id: "\(name)-\($0)", command: "emit", args: ["count": 1]) }
            }
            let (first, second) = (writes("first"), writes("second"))
            // The first 900 leave before any reply is read. Once a hundred of them are committed, the
            // second 900 leave on another connection as the signal goes: they arrive while the service
            // finishes the first, some before it stops accepting and the rest after, and those that
            // come after its socket closed are never received.
            async let firstReplies = suite.pipeline("loadgen", first, timeout: .seconds(30))
            try await waitFor(.seconds(20)) {
                ((try? await suite.call("loadgen", "status").get()["last_seq"]?.intValue) ?? 0) >= 100
            }
            async let secondReplies = suite.answers("loadgen", second, timeout: .seconds(5))
            loadgen.signal(SIGTERM)
            let answered = try await firstReplies
            let late = try await secondReplies
            // Ended, and cleanly: "stopped" is the last thing a service logs before it exits 0. (`/proc`
            // decides the end: Foundation may not see it while another test's child holds its descriptor.)
            try await waitFor(.seconds(20)) { ServiceProcess.hasEnded(loadgen.pid) }
            #expect(loadgen.log.contains("msg=stopped"), "\(loadgen.log)")

            // Received before the signal: every one committed and answered.
            var committed: [String: Int64] = [:]
            for (request, reply) in zip(first, answered) {
                #expect(throws: Never.self, "\(request.id)") { committed[request.id] = try reply.get()["first_seq"]?.intValue }
            }
            // Sent as it stopped: committed, refused, or (after the socket closed) never received.
            for request in second {
                switch late[request.id]?.outcome {
                case .success(let result): committed[request.id] = result["first_seq"]?.intValue
                case .failure(let error):
                    #expect(error.code == .unavailable && error.message.contains("shutting down"), "\(request.id): \(error.message)")
                case nil: break
                }
            }

            // Started again, the log holds the committed writes, each at the seq its reply named, and
            // nothing of the others.
            try await suite.start("loadgen")
            let page = try await suite.call("loadgen", "events.since", ["after_seq": 0, "limit": 2000]).get()
            let events = page["events"]?.arrayValue ?? []
            #expect(events.compactMap { $0["seq"]?.intValue } == Array(stride(from: 1, through: Int64(committed.count), by: 1)))
            let logged = Dictionary(
                events.map { ($0["causationid"]?.stringValue ?? "", $0["seq"]?.intValue ?? 0) }, uniquingKeysWith: { first, _ in first })
            #expect(logged == committed)
        }
    }
}
