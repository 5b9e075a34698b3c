import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// What a peer can send to a control socket, answered over the wire by a real service.
@Suite("System: the control socket contract")
struct ControlSocketSystemTests {
    func errorCode(_ raw: [UInt8]) throws -> ErrorCode? {
        if case .failure(let error) = try CommandReply.parse(raw).outcome { return error.code }
        return nil
    }

    @Test("Not JSON, a 10 MB frame, an unknown command, a wrong type and extra frames each get their own error; service keeps serving")
    func badInput() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")

            #expect(try errorCode(await suite.send("loadgen", frames: [Array("this is not json".utf8)])) == .invalidRequest)

            let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20)
            let tooLarge = try CommandReply.parse(await suite.send("loadgen", frames: [huge]))
            guard case .failure(let sizeError) = tooLarge.outcome else { Issue.record("expected an error"); return }
            #expect(sizeError.code == .invalidRequest)
            #expect(sizeError.message.contains("too large"))
            #expect(sizeError.details["size"] == .int(10 << 20))

            let unknown = try await suite.call("loadgen", "launch.rockets")
            #expect(unknown.outcome == .failure(CommandError(
                .unknownCommand, "loadgen has no command 'launch.rockets'; 'help' lists them", details: ["command": "launch.rockets"])))

            let wrongType = try await suite.call("loadgen", "emit", ["count": "five"])
            guard case .failure(let typeError) = wrongType.outcome else { Issue.record("expected an error"); return }
            #expect(typeError.code == .invalidArgument)
            #expect(typeError.details["field"] == "count")

            let outOfRange = try await suite.call("loadgen", "emit", ["count": 0])
            #expect(try errorCode(Array(outOfRange.serialized().utf8)) == .invalidArgument)

            let unknownArgument = try await suite.call("loadgen", "status", ["verbose": true])
            #expect(try errorCode(Array(unknownArgument.serialized().utf8)) == .invalidArgument)

            let twoFrames = try await suite.send("loadgen", frames: [Array("{}".utf8), Array("{}".utf8)])
            #expect(try errorCode(twoFrames) == .invalidRequest)

            #expect(try errorCode(await suite.send("loadgen", frames: [Array(#"{"id":"x","command":7}"#.utf8)])) == .invalidRequest)

            // Nothing was half-written, and the next valid command is answered.
            let status = try await suite.call("loadgen", "status").get()
            #expect(status["last_seq"] == 0)
            #expect(status["commands_failed"]?.intValue == 8)
        }
    }

    @Test("A request id sent twice returns the stored reply and changes nothing")
    func idempotent() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let first = try await suite.call("loadgen", "emit", ["count": 3], id: "same-id")
            let second = try await suite.call("loadgen", "emit", ["count": 3], id: "same-id")
            #expect(first == second)
            #expect(try await suite.call("loadgen", "status").get()["last_seq"] == 3)
            let reused = try await suite.call("loadgen", "help", id: "same-id")
            #expect((try? reused.get()) != nil, "read-only commands are not stored, so their ids are free")

            // Past the retention window the reply is forgotten, and the same id runs again.
            #expect(try await suite.call("loadgen", "replies.prune", ["older_than_days": 1]).get()["pruned"] == 0)
            // emit's reply, and those of the earlier prunes (which are state-changing commands too), once the
            // clock has moved past the millisecond they were stored in.
            var pruned: Int64 = 0
            try await waitFor {
                pruned += try await suite.call("loadgen", "replies.prune", ["older_than_days": 0]).get()["pruned"]?.intValue ?? 0
                return pruned >= 2
            }
            let third = try await suite.call("loadgen", "emit", ["count": 3], id: "same-id")
            #expect(try third.get()["first_seq"] == 4)
        }
    }

    @Test("help lists every command with its arguments, including the shared ones")
    func help() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let help = try await suite.call("loadgen", "help").get()
            let names = help["commands"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names == ["audit.list", "backup", "emit", "events.since", "help", "hold", "replies.prune", "status"])
            let since = help["commands"]?.arrayValue?.first { $0["name"] == "events.since" }
            #expect(since?["arguments"]?.arrayValue?.first?["name"] == "after_seq")
            #expect(since?["arguments"]?.arrayValue?.first?["required"] == true)
            let busHelp = try await suite.call("bus", "help").get()
            #expect(busHelp["commands"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["events.since", "help", "status"])
        }
    }

    @Test("events.since pages through the log in seq order")
    func eventsSince() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            _ = try await suite.call("loadgen", "emit", ["count": 25]).get()
            let page = try await suite.call("loadgen", "events.since", ["after_seq": 5, "limit": 10]).get()
            let seqs = page["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue }
            #expect(seqs == Array(6...15))
            #expect(page["has_more"] == true && page["last_seq"] == 25 && page["next_after_seq"] == 15)
            let tail = try await suite.call("loadgen", "events.since", ["after_seq": 20, "limit": 10]).get()
            #expect(tail["events"]?.arrayValue?.count == 5 && tail["has_more"] == false)

            let cli = try await suite.banshictl(["events", "since", "loadgen", "22"])
            #expect(cli.status == 0)
            #expect(cli.stdout.split(separator: "\n").map { $0.contains("#23") || $0.contains("#24") || $0.contains("#25") } == [true, true, true])
            // SERVICE:SEQ, as `events tail --since` takes it, reads the same.
            #expect(try await suite.banshictl(["events", "since", "loadgen:22"]).stdout == cli.stdout)
            let noSeq = try await suite.banshictl(["events", "since", "loadgen"])
            #expect(noSeq.status == 64 && noSeq.stderr.contains("give the seq to start after: `events since loadgen 0`, or loadgen:0"), "\(noSeq.stderr)")
            #expect(try await suite.banshictl(["events", "since", "loadgen:22", "3"]).status == 64)
            let all = try await suite.banshictl(["events", "since", "loadgen", "0", "--json"])
            let lines = all.stdout.split(separator: "\n")
            #expect(lines.count == 25)
            #expect(try lines.allSatisfy { try EventEnvelope.decode(Array($0.utf8)).source == "/banshi/loadgen" })
        }
    }
}

/// Writes that arrive together share a transaction; one that fails must leave no trace.
@Suite("System: group commit")
struct GroupCommitSystemTests {
    @Test("Pipelined writes: a command that fails half-way leaves nothing, the others commit, seq stays gapless")
    func failingCommandInABatch() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let requests = (0..<30).map { index in
                CommandRequest(
                    id: "batch-\(index)", command: "emit",
                    args: index % 3 == 1 ? ["count": 3, "fail_after": 2] : ["count": 2])
            }
            // All thirty leave before the first reply is read, so the service receives them together.
            let replies = try await suite.pipeline("loadgen", requests)
            #expect(replies.count == 30)
            var nextSeq: Int64 = 1
            for (index, reply) in replies.enumerated() {
                if index % 3 == 1 {
                    guard case .failure(let error) = reply.outcome else { Issue.record("batch-\(index) should fail"); continue }
                    #expect(error.code == .conflict)
                } else {
                    let result = try reply.get()
                    #expect(result["first_seq"] == .int(nextSeq), "batch-\(index)")
                    #expect(result["last_seq"] == .int(nextSeq + 1), "batch-\(index)")
                    nextSeq += 2
                }
            }
            let page = try await suite.call("loadgen", "events.since", ["after_seq": 0]).get()
            let events = page["events"]?.arrayValue ?? []
            #expect(events.count == 40)
            #expect(events.compactMap { $0["seq"]?.intValue } == Array(1...40))
            let failed = Set((0..<30).filter { $0 % 3 == 1 }.map { "batch-\($0)" })
            #expect(events.allSatisfy { !failed.contains($0["causationid"]?.stringValue ?? "") })
            let status = try await suite.call("loadgen", "status").get()
            #expect((status["write_transactions"]?.intValue ?? 0) < 30, "some of the writes shared a transaction")

            // A group with a failure runs again without it: still one audit entry a command, with its own result.
            let audit = try await suite.call("loadgen", "audit.list", ["command": "emit"]).get()["entries"]?.arrayValue ?? []
            #expect(audit.count == 30)
            let audited = Dictionary(
                audit.map { ($0["request_id"]?.stringValue ?? "", $0["result"]?.stringValue ?? "") }, uniquingKeysWith: { first, _ in first })
            #expect(audited == Dictionary(uniqueKeysWithValues: (0..<30).map { ("batch-\($0)", $0 % 3 == 1 ? "conflict" : "ok") }))
            // The stored replies are the ones sent: a success sent again gets its reply, a failure runs again.
            let again = try await suite.pipeline("loadgen", Array(requests.prefix(3)))
            #expect(try again[0].get() == replies[0].get())
            if case .failure(let error) = again[1].outcome { #expect(error.code == .conflict) } else { Issue.record("batch-1 should fail again") }
            #expect(try again[2].get() == replies[2].get())
            #expect(try await suite.call("loadgen", "status").get()["last_seq"] == 40)
        }
    }

    @Test("Pipelined writes and reads: each read sees exactly the writes sent before it, though later ones were checked meanwhile")
    func readsSeeTheWritesBeforeThem() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let requests = (0..<60).map { index in
                index % 2 == 0
                    ? CommandRequest(id: "write-\(index)", command: "emit", args: ["count": 1])
                    : CommandRequest(id: "read-\(index)", command: "events.since", args: ["after_seq": 0, "limit": 1000])
            }
            let replies = try await suite.pipeline("loadgen", requests)
            #expect(replies.count == 60)
            for (index, reply) in replies.enumerated() where index % 2 == 1 {
                let events = try reply.get()["events"]?.arrayValue ?? []
                #expect(events.count == (index + 1) / 2, "read-\(index) sees the \((index + 1) / 2) writes sent before it")
            }
            let status = try await suite.call("loadgen", "status").get()
            #expect((status["write_transactions"]?.intValue ?? 0) >= 30, "a read ends its group: a transaction for each write at least")
        }
    }

    @Test("A long read runs beside the running stage: commands sent behind it are answered first, it sees the writes sent before it, long reads keep their order, and one under way at SIGTERM is still answered")
    func longReadsRunAside() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            let service = try await suite.start("loadgen")
            let (context, endpoint, pid) = (suite.context, suite.control("loadgen"), service.pid)
            let requests = [
                CommandRequest(id: "emit-1", command: "emit", args: ["count": 3]),
                CommandRequest(id: "hold-long", command: "hold", args: ["ms": 1500]),
                CommandRequest(id: "status", command: "status"),
                CommandRequest(id: "emit-2", command: "emit", args: ["count": 2]),
                CommandRequest(id: "hold-short", command: "hold", args: ["ms": 0]),
            ]
            // On one connection, in this order; then a long read under way when the service is told to stop.
            let stopping = CommandRequest(id: "hold-at-stop", command: "hold", args: ["ms": 1500])
            let marker = CommandRequest(id: "after-hold", command: "status")
            let (replies, atStop) = try await onOwnThread { () throws -> ([CommandReply], [CommandReply]) in
                let client = try ControlClient(context: context, service: "loadgen", endpoint: endpoint, timeout: .seconds(60))
                for request in requests { try client.send(request) }
                let replies = try requests.map { _ in try CommandReply.parse(try client.receive(matching: nil)) }
                try client.send(stopping)
                try client.send(marker)
                let first = try CommandReply.parse(try client.receive(matching: nil))
                // The hold was received before the status behind it: it is under way, or queued.
                kill(pid, SIGTERM)
                return (replies, [first, try CommandReply.parse(try client.receive(matching: nil))])
            }
            #expect(replies.map(\.id) == ["emit-1", "status", "emit-2", "hold-long", "hold-short"], "the long reads are answered last, in order")
            let long = try replies[3].get()
            #expect(long["held_ms"] == 1500)
            // It sees the writes sent before it; the one sent after it may have committed before it began.
            #expect([3, 5].contains(long["events"]?.intValue ?? -1), "\(long)")
            #expect(try replies[4].get()["events"] == 5, "a long read sees every write sent before it")
            #expect(atStop.map(\.id) == ["after-hold", "hold-at-stop"])
            #expect(try atStop[1].get()["held_ms"] == 1500, "a long read under way at SIGTERM is answered")
            try await waitFor { ServiceProcess.hasEnded(service.pid) }
            #expect(service.log.contains("msg=stopped"), "\(service.log)")
        }
    }
}
