import BanshiKit
import BanshiTesting
import Foundation
import Testing
import ZeroMQ

/// The attacks that once worked, performed against the real executables: each test fails on the
/// code before its fix.
@Suite("System: hardening")
struct HardeningSystemTests {
    static let forgedTopic = "loadgen.sample.emitted"

    /// A loadgen envelope with `seq`, as a forger would write it.
    static func forgedEvent(seq: Int64, id: String = "forged-\(UUID().uuidString)", type: String = forgedTopic) throws -> [[UInt8]] {
        let envelope = EventEnvelope(
            id: id, service: "loadgen", type: try Topic(type), time: Timestamp(), subject: nil, data: ["forged": true], seq: seq)
        return [Array(forgedTopic.utf8), Array(envelope.serialized().utf8)]
    }

    /// Runs `body` with the bus, loadgen and a loadsink that follows it, all started.
    static func withPipeline(curve: Bool, _ body: (TestSuite) async throws -> Void) async throws {
        try await TestSuite.with(
            services: ["loadgen", "loadsink"], runtime: DurableDeliverySystemTests.fastHeartbeat,
            serviceKeys: DurableDeliverySystemTests.sinkKeys, curve: curve
        ) { suite in
            for name in ["bus", "loadgen", "loadsink"] { try await suite.start(name) }
            try await body(suite)
        }
    }

    @Test("A service key publishing in another service's name is refused at the bus, counted and logged; the real event with that seq is applied")
    func forgedSourceRefusedByBus() async throws {
        try await Self.withPipeline(curve: true) { suite in
            // The sink's own key is a real service key, bound to "loadsink": it may not speak for loadgen.
            let forger = try Socket(suite.context, .pub)
            try forger.setLinger(.zero)
            try suite.identity(named: "loadsink").secureClient(forger, peer: "bus")
            try forger.connect(suite.publishEndpoint)
            let forged = try Self.forgedEvent(seq: 1)
            // Sent until the bus has seen one: the PUB socket sends nothing before the sink's
            // subscription has reached it.
            try await waitFor {
                try forger.send(parts: forged)
                return (try await suite.call("bus", "status").get())["events_refused"]?.intValue ?? 0 >= 1
            }
            #expect(Self.logged(suite, "bus", ["event refused: a publisher may publish only as its own service", "key=loadsink"]))

            try await Runner(suite, service: "loadgen").ok("emit", ["count": 1])
            let probe = DeliveryProbe(suite)
            try await probe.waitForApplied(1)
            let logged = try await probe.logged("loadgen")
            #expect(try await probe.applied().map(\.id) == logged.map(\.id))
            let sink = try await suite.call("loadsink", "status").get()
            #expect(sink["subscriptions"]?["loadgen"]?["integrity_alarms"] == 0)
        }
    }

    @Test("Without the bus's check (CURVE off), a forged seq that got applied is caught when the real one arrives: integrity alarm, the source's copy kept")
    func seqCollisionRaisesAlarm() async throws {
        try await Self.withPipeline(curve: false) { suite in
            let forger = try Socket(suite.context, .pub)
            try forger.setLinger(.zero)
            try forger.connect(suite.publishEndpoint)
            let probe = DeliveryProbe(suite)
            let forged = try Self.forgedEvent(seq: 1, id: "forged-seq-1")
            try await waitFor {
                try forger.send(parts: forged)
                return (try await probe.summary())["count"] == 1
            }
            #expect(try await probe.applied().map(\.id) == ["forged-seq-1"])

            // An event whose topic is not its type is refused outright.
            let mismatched = try Self.forgedEvent(seq: 2, type: "children.abuse.referred")
            try forger.send(parts: mismatched)

            try await Runner(suite, service: "loadgen").ok("emit", ["count": 2])
            let genuine = try await probe.logged("loadgen").map(\.id)
            try await waitFor {
                (try await suite.call("loadsink", "status").get())["subscriptions"]?["loadgen"]?["integrity_alarms"] == 1
            }
            try await probe.waitForApplied(2)
            try await waitFor { try await probe.applied().map(\.id) == genuine }
            #expect(try await probe.applied().map(\.id) == genuine, "the source's copy replaced the forged one")
            let status = try await suite.call("loadsink", "status").get()
            #expect(status["subscriptions"]?["loadgen"]?["last_alarm"]?.stringValue?.contains("forged-seq-1") == true)
            let log = suite.processes["loadsink"]?.log ?? ""
            #expect(log.contains("level=error") && log.contains("integrity alarm"))
            #expect(log.contains("whose type is 'children.abuse.referred': they must be the same"))
        }
    }

    @Test("backup is for admins: an operator is refused and audited; an admin's copy is 0600 in a 0700 directory; no directories are made and control characters are refused")
    func backupIsAdminOnly() async throws {
        try await TestSuite.with(curve: true) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let loadgen = Runner(suite, service: "loadgen")
            suite.identity = try suite.identity(named: "operator")
            #expect(try await loadgen.failure("backup", ["destination": "by-operator.sqlite"])?.code == .unauthorized)

            suite.identity = try suite.identity(named: "admin")
            let copy = try await loadgen.ok("backup", ["destination": "nightly.sqlite"])
            let path = try #require(copy["destination"]?.stringValue)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let directory = try FileManager.default.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)
            #expect((directory[.posixPermissions] as? NSNumber)?.intValue == 0o700)
            #expect(!FileManager.default.fileExists(atPath: Path.join(suite.stateDirectory("loadgen"), "backups/by-operator.sqlite")))

            let missing = suite.directory.file("no-such-dir/copy.sqlite")
            let refused = try await loadgen.failure("backup", ["destination": .string(missing)])
            #expect(refused?.code == .invalidArgument && refused?.message.contains("creates no directories") == true)
            #expect(!FileManager.default.fileExists(atPath: suite.directory.file("no-such-dir")))
            let controlled = try await loadgen.failure("backup", ["destination": .string(suite.directory.file("a\u{0}b.sqlite"))])
            #expect(controlled?.code == .invalidArgument && controlled?.message.contains("U+0") == true)
            let bidi = try await loadgen.failure("backup", ["destination": "evil\u{202E}lqs.sqlite"])
            #expect(bidi?.code == .invalidArgument && bidi?.message.contains("U+202E") == true)

            let audit = try await loadgen.ok("audit.list", ["command": "backup"])["entries"]?.arrayValue ?? []
            // The NUL never reaches the command: every text argument is refused for it before anything runs.
            #expect(audit.map { $0["key"] } == ["admin", "admin", "admin", "operator"])
            #expect(audit.map { $0["result"] } == ["invalid_argument", "invalid_argument", "ok", "unauthorized"])
        }
    }

    @Test("A stored reply is no answer for a caller who may not run the command, and a reused id with other arguments is a conflict")
    func idempotencyAfterAuthorisation() async throws {
        try await TestSuite.with(curve: true) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let loadgen = Runner(suite, service: "loadgen")
            let first = try await loadgen.ok("emit", ["count": 2], id: "admin-request")

            suite.identity = try suite.identity(named: "operator")
            let replayed = try await loadgen.reply("emit", ["count": 2], id: "admin-request")
            #expect(replayed.error?.code == .unauthorized)

            suite.identity = try suite.identity(named: "admin")
            let other = try await loadgen.reply("emit", ["count": 5], id: "admin-request")
            #expect(other.error?.code == .conflict)
            #expect(other.error?.message.contains("admin-request") == true)
            #expect(try await loadgen.ok("emit", ["count": 2], id: "admin-request") == first)
            #expect(try await loadgen.ok("status")["last_seq"] == 2)

            let audit = try await loadgen.ok("audit.list", ["command": "emit"])["entries"]?.arrayValue ?? []
            #expect(audit.map { $0["key"] } == ["admin", "admin", "operator", "admin"])
            #expect(audit.map { $0["result"] } == ["ok", "conflict", "unauthorized", "ok"])
        }
    }

    @Test("A revoked key loses its open connections: a subscriber on the bus, a publisher, and a control-socket client are cut and cannot get back in")
    func revocationCutsConnections() async throws {
        try await TestSuite.with(curve: true) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let context = suite.context
            // A subscriber connected and receiving.
            let subscriber = try Socket(context, .sub)
            try subscriber.setLinger(.zero)
            try suite.identity(named: "subscriber").secureClient(subscriber, peer: "bus")
            let subscriberEvents = try subscriber.monitor(at: "inproc://revoked-subscriber")
            try subscriber.subscribe("loadgen.sample.")
            try subscriber.connect(suite.subscribeEndpoint)
            try await waitFor { (try await suite.call("bus", "status").get())["topics"] == ["loadgen.sample."] }
            try await Runner(suite, service: "loadgen").ok("emit", ["count": 1])
            try await waitFor { try subscriber.receiveMultipart(dontWait: true) != nil }

            // An operator connected to loadgen's control socket.
            let operatorClient = try Socket(context, .dealer)
            try operatorClient.setLinger(.zero)
            try suite.identity(named: "operator").secureClient(operatorClient, peer: "loadgen")
            let operatorEvents = try operatorClient.monitor(at: "inproc://revoked-operator")
            try operatorClient.connect(suite.control("loadgen"))
            try operatorClient.send(parts: [[], Array(CommandRequest(id: "before", command: "status").serialized().utf8)])
            try await waitFor { try operatorClient.receiveMultipart(dontWait: true) != nil }

            for key in ["subscriber", "operator"] {
                #expect(try await suite.banshictl(["keys", "revoke", key]).status == 0)
            }
            try await waitFor { Self.events(subscriberEvents).contains(.handshakeFailedAuth) }
            try await waitFor { Self.events(operatorEvents).contains(.handshakeFailedAuth) }
            #expect(Self.logged(suite, "bus", ["connection cut: key revoked", "key=subscriber"]))
            #expect(Self.logged(suite, "loadgen", ["connection cut: key revoked", "socket=control", "key=operator"]))

            // The publisher's key revoked: its connection to the bus is cut, and it cannot publish.
            let listener = try EventSubscriber(
                context: context, endpoint: suite.subscribeEndpoint, prefixes: ["loadgen.sample."], identity: try suite.identity(named: "admin"))
            try await waitFor { (try await suite.call("bus", "status").get())["subscribers"]?.intValue ?? 0 >= 1 }
            #expect(try await suite.banshictl(["keys", "revoke", "loadgen"]).status == 0)
            try await waitFor { Self.logged(suite, "bus", ["connection cut: key revoked", "key=loadgen"]) }
            // The publisher says so itself: nothing else would tell its operator.
            try await waitFor { Self.logged(suite, "loadgen", ["level=warning", "bus handshake refused", "socket=publisher", "key=loadgen"]) }
            let warnings = try await suite.call("loadgen", "status").get()["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(warnings.first?.hasPrefix("the bus at \(suite.publishEndpoint) refused key 'loadgen' at the publisher's handshake") == true, "\(warnings)")
            let forwarded = try await suite.call("bus", "status").get()["messages_forwarded"]
            try await Runner(suite, service: "loadgen").ok("emit", ["count": 3])
            try await waitFor { (try await suite.call("loadgen", "status").get())["events_published"] == 4 }
            #expect(try await listener.receive(1, within: .milliseconds(500)).isEmpty)
            #expect(try await suite.call("bus", "status").get()["messages_forwarded"] == forwarded)
        }
    }

    @Test("Control characters in text are refused naming the field (NUL no longer reads back truncated); references that travel into events are ids of a suite service; implausible dates are refused with the bound; databases are 0600 in 0700")
    func inputAndFiles() async throws {
        try await TestSuite.with(
            services: ["children", "petition"], serviceKeys: ["children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys()], curve: true
        ) { suite in
            for service in ["bus", "children", "petition"] { try await suite.start(service) }
            let children = Runner(suite)
            let child: [String: JSONValue] = ["name": "刘某某", "birth_date": "2013-02-02", "household_province": "甘肃省", "migrant_status": "migrant"]
            var nul = child
            nul["name"] = "刘\u{0}某"
            let refused = try await children.failure("child.register", nul)
            #expect(refused?.code == .invalidArgument && refused?.details["field"] == "name" && refused?.message.contains("U+0000") == true)
            var guardian = child
            guardian["guardians"] = [["name": "父\u{1B}亲", "relation": "father"]]
            #expect(try await children.failure("child.register", guardian)?.message.contains("guardians[0].name") == true)
            #expect(try await Runner(suite, service: "petition").failure("guideline.search", ["query": "工\u{0}伤"])?.details["field"] == "query")
            var ancient = child
            ancient["birth_date"] = "1000-01-01"
            let old = try await children.failure("child.register", ancient)
            #expect(old?.details["field"] == "birth_date" && old?.message.contains("1900-01-01") == true)
            let id = try await children.ok("child.register", child)["child_id"]!
            #expect(try await children.ok("child.get", ["child_id": id])["name"] == "刘某某")

            // A reference that would reach every subscriber: a name, a megabyte, a service that is no service.
            let prevention: [String: JSONValue] = ["origin_service": "public-interest", "origin_ref": "LD-1", "venue_name": "某网吧", "venue_type": "internet-cafe", "finding": "minors-admitted"]
            for (field, value) in [("origin_ref", JSONValue.string("刘某某")), ("origin_ref", .string(String(repeating: "A", count: 100_000))), ("origin_service", "nobody")] {
                var args = prevention
                args[field] = value
                #expect(try await children.failure("prevention.open", args)?.details["field"] == .string(field), "\(field)")
            }
            try await children.ok("prevention.open", prevention)
            let aid: [String: JSONValue] = ["category": "minor", "source_service": "children", "source_ref": "刘某某的案子", "beneficiary_ref": "CH-1"]
            #expect(try await Runner(suite, service: "petition").failure("aid.open", aid)?.details["field"] == "source_ref")

            // Files holding personal data: the state directory 0700, the database and its WAL files 0600.
            let directory = suite.stateDirectory("children")
            func mode(_ path: String) throws -> Int? { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue }
            #expect(try mode(directory) == 0o700)
            for file in ["children.sqlite", "children.sqlite-wal", "children.sqlite-shm"] {
                #expect(try mode("\(directory)/\(file)") == 0o600, "\(file)")
            }
        }
    }

    @Test("Trusted time: with allow_now off a command carrying `now` is refused; with it on, `now` moves deadline logic only, while the event's time and the audit entry keep the service's clock")
    func trustedTime() async throws {
        try await TestSuite.with(services: ["children"], serviceKeys: ["children": "scan_interval_ms = 0"], curve: true, allowNow: false) { suite in
            try await suite.start("bus")
            try await suite.start("children")
            let children = Runner(suite)
            let child: [String: JSONValue] = ["name": "某", "birth_date": "2012-01-01", "household_province": "安徽省", "migrant_status": "migrant"]
            var backdated = child
            backdated["now"] = "2030-01-01T00:00:00Z"
            let refused = try await children.failure("child.register", backdated)
            #expect(refused?.code == .invalidArgument && refused?.details["field"] == "now" && refused?.message.contains("allow_now") == true)
            #expect(try await children.failure("deadlines.scan", ["now": "2030-01-01T00:00:00Z"])?.details["field"] == "now")
            try await children.ok("child.register", child)
        }
        try await TestSuite.with(services: ["children"], serviceKeys: ["children": "scan_interval_ms = 0"], curve: true) { suite in
            try await suite.start("bus")
            try await suite.start("children")
            let children = Runner(suite)
            let before = Timestamp()
            let id = try await children.ok(
                "child.register", ["name": "某", "birth_date": "2012-01-01", "household_province": "安徽省", "migrant_status": "migrant", "now": "2030-01-01T00:00:00Z"])["child_id"]!
            let after = Timestamp()
            let event = try #require(try await children.ok("events.since", ["after_seq": 0])["events"]?.arrayValue?.first)
            let time = try #require(event["time"]?.stringValue.flatMap(Timestamp.parse))
            #expect(time >= before.addingTimeInterval(-1) && time <= after.addingTimeInterval(1), "the event carries the service's clock, not 2030")
            let audit = try #require(try await children.ok("audit.list", ["command": "child.register"])["entries"]?.arrayValue?.first)
            let at = try #require(audit["at"]?.stringValue.flatMap(Timestamp.parse))
            #expect(at >= before.addingTimeInterval(-1) && at <= after.addingTimeInterval(1), "the audit entry carries the service's clock")
            #expect(try await children.ok("child.get", ["child_id": id])["name"] == "某")
        }
    }

    @Test("An events.since page is capped in bytes as well as in count, and a subscriber still catches up on large events, each once")
    func pagesCappedInBytes() async throws {
        try await Self.withPipeline(curve: false) { suite in
            await suite.processes["loadsink"]?.stop()
            try await Runner(suite, service: "loadgen").ok("emit", ["count": 100, "payload_bytes": 65_536])
            let page = try await Runner(suite, service: "loadgen").ok("events.since", ["after_seq": 0, "limit": 100])
            let events = page["events"]?.arrayValue ?? []
            let bytes = events.reduce(0) { $0 + $1.serialized().utf8.count }
            #expect(events.count < 100 && page["has_more"] == true, "\(events.count) events")
            #expect(bytes <= (4 << 20) + 70_000, "\(bytes) bytes")
            try await suite.start("loadsink")
            let probe = DeliveryProbe(suite)
            try await probe.waitForApplied(100)
            #expect(try await probe.summary()["duplicates"] == 0)
        }
    }

    /// Whether one line of `service`'s log holds every one of `parts`.
    @Test("A control socket keeps at most max_connections peers: one more is cut and the cap logged; it is served once places are free")
    func connectionCap() async throws {
        try await TestSuite.with(runtime: "max_connections = 3") { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            #expect(Self.logged(suite, "loadgen", ["descriptors", "control_connections_cap=3"]))
            let status = Array(CommandRequest(id: "s", command: "status").serialized().utf8)
            func client() throws -> Socket {
                let socket = try Socket(suite.context, .dealer)
                try socket.setLinger(.zero)
                try socket.connect(suite.control("loadgen"))
                return socket
            }
            var held: [Socket] = []
            for _ in 0..<3 {
                let socket = try client()
                _ = try socket.send(parts: [[], status])
                try await waitFor { try socket.receiveMultipart(dontWait: true) != nil }
                held.append(socket)
            }
            let fourth = try client()
            try await waitFor { Self.logged(suite, "loadgen", ["connection refused: connection cap reached", "socket=control", "cap=3"]) }
            _ = try fourth.send(parts: [[], status])
            held.removeAll()  // closes the three
            try await waitFor {
                if try fourth.receiveMultipart(dontWait: true) != nil { return true }
                _ = try fourth.send(parts: [[], status], dontWait: true)
                return false
            }
            #expect(try await Runner(suite, service: "loadgen").ok("status")["service"] == "loadgen")
        }
    }

    @Test("The bus keeps at most its share of max_connections subscribers: one more is cut and the cap logged; it gets events once a place is free")
    func busConnectionCap() async throws {
        try await TestSuite.with(runtime: "max_connections = 2") { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            #expect(Self.logged(suite, "bus", ["proxy bound", "connections_cap_per_side=2"]))
            func subscriber() throws -> Socket {
                let socket = try Socket(suite.context, .sub)
                try socket.setLinger(.zero)
                try socket.subscribe("loadgen.")
                try socket.connect(suite.subscribeEndpoint)
                return socket
            }
            var held = [try subscriber(), try subscriber()]
            try await waitFor { (try await suite.call("bus", "status").get())["subscribers"] == 2 }
            let third = try subscriber()
            try await waitFor { Self.logged(suite, "bus", ["connection refused: connection cap reached", "socket=subscribe", "cap=2"]) }
            #expect(try await suite.call("bus", "status").get()["subscribers"] == 2)
            held.removeFirst()  // closes one: the third's reconnect is admitted
            let loadgen = Runner(suite, service: "loadgen")
            try await waitFor {
                try await loadgen.ok("emit", ["count": 1])
                return try third.receiveMultipart(dontWait: true) != nil
            }
            #expect(held.count == 1)
        }
    }

    @Test("A subscriber that never reads costs the bus no more than its high-water mark of events, and that memory is given back when it leaves")
    func slowSubscriberMemory() async throws {
        try await TestSuite.with(bus: "high_water_mark = 20000") { suite in
            let bus = try await suite.start("bus")
            try await suite.start("loadgen")
            _ = try await suite.call("bus", "status").get()
            let baseline = MemoryTrimmer.residentMegabytes(of: bus.pid)
            #expect(baseline > 0, "the bus's resident set is read")
            var stalled: Socket? = try Socket(suite.context, .sub)
            try stalled?.setLinger(.zero)
            try stalled?.setReceiveHighWaterMark(1)
            try stalled?.subscribe("")
            try stalled?.connect(suite.subscribeEndpoint)
            try await waitFor { (try await suite.call("bus", "status").get())["subscribers"] == 1 }
            // 100,000 events of about 4 KB: some 800 MB if the bus kept them all for the subscriber.
            for _ in 1...10 {
                _ = try await suite.call("loadgen", "emit", ["count": 10_000, "payload_bytes": 4_000], timeout: .seconds(60)).get()
            }
            try await waitFor(.seconds(60)) { (try await suite.call("bus", "status").get())["messages_forwarded"]?.intValue ?? 0 >= 100_000 }
            let peak = MemoryTrimmer.residentMegabytes(of: bus.pid)
            // The bus holds at most 20,000 of them for the subscriber, at about twice an event's size
            // each (the frames and libzmq's receive buffers): some 170 MB, against 800 MB unbounded.
            // The same mark bounds the publisher's queue into the bus, which fills too when the proxy
            // thread is short of CPU (a full parallel test run: 201 MB once): at most 40,000 events,
            // some 340 MB.
            #expect(peak <= baseline + 340, "baseline \(baseline) MB, with the stalled subscriber \(peak) MB")
            #expect(peak >= baseline + 40, "the subscriber really held events at the bus: \(peak) MB against \(baseline) MB")
            stalled = nil  // closes it
            // Given back once it has left (seen failing with the trim turned off: 187 MB stayed).
            try await waitFor { MemoryTrimmer.residentMegabytes(of: bus.pid) <= baseline + 16 }
        }
    }

    @Test("Requests in flight are bounded per peer and in bytes: the excess is answered unavailable at once with its id, the held ones are served, and status counts the refusals")
    func requestsInFlight() async throws {
        try await TestSuite.with(runtime: "max_in_flight_per_peer = 5\nmax_in_flight_bytes = 1048576") { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            func refused(_ replies: [CommandReply], _ reason: String) -> [CommandReply] {
                replies.filter { reply in
                    if case .failure(let error) = reply.outcome { return error.code == .unavailable && error.message.contains(reason) }
                    return false
                }
            }
            // Each pipeline starts with a slow write, so that the dispatcher is busy while the rest arrive.
            let flooded = try await suite.pipeline(
                "loadgen", [CommandRequest(id: "slow-1", command: "emit", args: ["count": 50_000])] + (0..<50).map { CommandRequest(id: "tiny-\($0)", command: "status") },
                timeout: .seconds(60))
            #expect(flooded.count == 51)
            #expect(try flooded[0].get()["first_seq"] == 1)
            let busy = refused(flooded, "this connection has too many requests in flight")
            #expect(busy.count >= 46, "at most five of one peer's requests are held; \(busy.count) refused")
            #expect(busy.allSatisfy { $0.id?.hasPrefix("tiny-") == true })

            let pad = JSONValue.string(String(repeating: "x", count: 400_000))
            let sized = try await suite.pipeline(
                "loadgen", [CommandRequest(id: "slow-2", command: "emit", args: ["count": 50_000])] + (0..<4).map { CommandRequest(id: "large-\($0)", command: "status", args: ["pad": pad]) },
                timeout: .seconds(60))
            #expect(sized.count == 5)
            #expect(refused(sized, "too many request bytes").map(\.id) == ["large-2", "large-3"])

            let status = try await suite.call("loadgen", "status").get()
            #expect(status["requests_in_flight"] == 1)  // this status call
            #expect(status["requests_refused_busy"]?.intValue == Int64(busy.count + 2))
            #expect(Self.logged(suite, "loadgen", ["request refused: in-flight limit reached"]))
        }
    }

    @Test("Cycles of hundreds of connections opened and closed leave the service's memory where it was: the allocator's freed memory is given back once each storm settles")
    func connectionStormsGiveMemoryBack() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            let service = try await suite.start("loadgen")
            _ = try await suite.call("loadgen", "status").get()
            let baseline = MemoryTrimmer.residentMegabytes(of: service.pid)
            #expect(baseline > 0, "the service's resident set is read")
            var peaks: [Int] = []
            // The clients live in a process of their own: hundreds of sockets opened and closed in this
            // one would race the other tests' process launches.
            for cycle in 1...3 {
                let storm = try await TestSuite.runExternal(
                    "/usr/bin/env", ["python3", "\(TestRepository.path)/scripts/connection-storm.py", suite.control("loadgen"), "--connections", "300"],
                    timeout: .seconds(90))
                #expect(storm.status == 0, "\(storm.stderr)")
                peaks.append(MemoryTrimmer.residentMegabytes(of: service.pid))
                try await waitFor {
                    service.log.components(separatedBy: "memory returned to the system after connections closed").count - 1 == cycle
                }
            }
            let after = MemoryTrimmer.residentMegabytes(of: service.pid)
            #expect(after <= baseline + 8, "baseline \(baseline) MB, after each storm \(peaks) MB, at the end \(after) MB")
        }
    }

    static func logged(_ suite: TestSuite, _ service: String, _ parts: [String]) -> Bool {
        (suite.processes[service]?.log ?? "").split(separator: "\n").contains { line in parts.allSatisfy { line.contains($0) } }
    }

    /// The events a monitor has queued, read now.
    static func events(_ monitor: Socket) -> [MonitorEvent.Kind] {
        var kinds: [MonitorEvent.Kind] = []
        while let event = try? monitor.nextEvent(dontWait: true) { kinds.append(event.kind) }
        return kinds
    }
}
