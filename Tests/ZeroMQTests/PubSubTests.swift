import Foundation
import Testing
import ZeroMQ

@Suite("ZeroMQ publish/subscribe, proxy, CURVE and monitoring")
struct PubSubTests {
    let context: Context

    init() throws {
        context = try Context()
    }

    /// Sends `frames` until `subscriber` has something: PUB/SUB drops while a subscription is in flight.
    func publishUntilReceived(_ publisher: Socket, _ frames: [[UInt8]], _ subscriber: Socket) throws -> [[UInt8]]? {
        let poller = Poller()
        poller.add(subscriber)
        for _ in 0..<200 {
            try publisher.send(parts: frames)
            if try poller.poll(timeout: .milliseconds(25)) > 0 {
                return try subscriber.receiveMultipart(dontWait: true)
            }
        }
        return nil
    }

    @Test("A SUB receives the topics it subscribed to by prefix, and not the others")
    func prefixSubscription() throws {
        let publisher = try Socket(context, .pub)
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try Socket(context, .sub)
        try subscriber.setReceiveTimeout(.seconds(10))  // a lost message fails the test instead of hanging it
        try subscriber.subscribe("children.")
        try subscriber.connect(try publisher.lastEndpoint())
        let received = try publishUntilReceived(publisher, [Array("children.abuse.referred".utf8), Array("{}".utf8)], subscriber)
        #expect(received?.first == Array("children.abuse.referred".utf8))
        try publisher.send(parts: [Array("petition.aid.opened".utf8), Array("{}".utf8)])
        try publisher.send(parts: [Array("children.case.registered".utf8), Array("{}".utf8)])
        var next = try subscriber.receiveMultipart()
        while next?.first == Array("children.abuse.referred".utf8) { next = try subscriber.receiveMultipart() }
        #expect(next?.first == Array("children.case.registered".utf8))
    }

    @Test("XSUB/XPUB through the libzmq proxy forwards subscriptions up and events down")
    func proxy() async throws {
        let context = self.context
        let front = "inproc://proxy-front-\(UUID().uuidString)"
        let back = "inproc://proxy-back-\(UUID().uuidString)"
        let control = "inproc://proxy-control-\(UUID().uuidString)"
        let bound = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            do {
                let xsub = try Socket(context, .xsub)
                let xpub = try Socket(context, .xpub)
                let steer = try Socket(context, .pair)
                try xsub.bind(front)
                try xpub.bind(back)
                try steer.bind(control)
                bound.signal()
                try Proxy.run(frontend: xsub, backend: xpub, control: steer)
            } catch {
                bound.signal()
            }
            finished.signal()
        }.start()
        bound.wait()
        let publisher = try Socket(context, .pub)
        try publisher.connect(front)
        let subscriber = try Socket(context, .sub)
        try subscriber.subscribe("")
        try subscriber.connect(back)
        let received = try publishUntilReceived(publisher, [Array("a.b.c".utf8), Array("payload".utf8)], subscriber)
        #expect(received == [Array("a.b.c".utf8), Array("payload".utf8)])
        let steer = try Socket(context, .pair)
        try steer.connect(control)
        try steer.send("TERMINATE")
        #expect(finished.wait(timeout: .now() + 5) == .success)
    }

    @Test("CURVE: a client with the server's key connects and talks encrypted")
    func curve() throws {
        #expect(CurveKeyPair.isAvailable)
        let server = try CurveKeyPair.generate()
        let client = try CurveKeyPair.generate()
        #expect(server.publicKey.count == 40 && server.secretKey.count == 40)
        #expect(try CurveKeyPair.publicKey(forSecretKey: server.secretKey) == server.publicKey)
        let router = try Socket(context, .router)
        try router.setCurveServer(secretKey: server.secretKey)
        // A broken handshake fails the test instead of hanging it.
        try router.setReceiveTimeout(.seconds(10))
        try router.bind("tcp://127.0.0.1:*")
        let dealer = try Socket(context, .dealer)
        try dealer.setCurveClient(keyPair: client, serverKey: server.publicKey)
        try dealer.connect(try router.lastEndpoint())
        try dealer.send("secret")
        #expect(try router.receiveMultipart()?.last == Array("secret".utf8))

        // A client that has the wrong server key fails the handshake, and what it sends never arrives.
        let events = try router.monitor(at: "inproc://curve-\(UUID().uuidString)")
        try events.setReceiveTimeout(.seconds(10))
        let impostor = try Socket(context, .dealer)
        try impostor.setLinger(.zero)
        try impostor.setCurveClient(keyPair: try CurveKeyPair.generate(), serverKey: client.publicKey)
        try impostor.connect(try router.lastEndpoint())
        try impostor.send("intruder")
        var kinds: [MonitorEvent.Kind] = []
        let failed: [MonitorEvent.Kind] = [.handshakeFailedProtocol, .handshakeFailedNoDetail, .handshakeFailedAuth]
        while !kinds.contains(where: failed.contains), let event = try events.nextEvent() { kinds.append(event.kind) }
        #expect(kinds.contains(where: failed.contains), "\(kinds)")
        #expect(try router.receiveMultipart(dontWait: true) == nil)
    }

    @Test("The monitor reports a peer accepted and then disconnected")
    func monitor() throws {
        let router = try Socket(context, .router)
        let events = try router.monitor(at: "inproc://monitor-\(UUID().uuidString)")
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = try router.lastEndpoint()
        var dealer: Socket? = try Socket(context, .dealer)
        try dealer?.setLinger(.zero)
        try dealer?.connect(endpoint)
        try events.setReceiveTimeout(.seconds(5))
        var kinds: [MonitorEvent.Kind] = []
        while !kinds.contains(.accepted), let event = try events.nextEvent() { kinds.append(event.kind) }
        #expect(kinds.contains(.listening) && kinds.contains(.accepted), "\(kinds)")
        dealer = nil
        while !kinds.contains(.disconnected), let event = try events.nextEvent() { kinds.append(event.kind) }
        #expect(kinds.contains(.disconnected))
    }
}
