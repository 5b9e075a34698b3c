import Foundation
import Testing
import ZeroMQ

@Suite("ZeroMQ sockets on real transports")
struct SocketTests {
    let context: Context

    init() throws {
        context = try Context()
    }

    /// A fresh inproc endpoint per test: inproc names are per context, but tests share nothing.
    func inproc() -> String { "inproc://test-\(UUID().uuidString)" }

    /// A PULL socket bound to a fresh inproc endpoint and a PUSH connected to it.
    func pushPull() throws -> (push: Socket, pull: Socket) {
        let endpoint = inproc()
        let pull = try Socket(context, .pull)
        try pull.bind(endpoint)
        let push = try Socket(context, .push)
        try push.connect(endpoint)
        return (push, pull)
    }

    /// A ROUTER on a free TCP port. Its receives, and those of `bounded` sockets, time out after 10 s:
    /// a broken test fails rather than hangs.
    func tcp() throws -> (Socket, String) {
        let socket = try Socket(context, .router)
        try socket.setReceiveTimeout(.seconds(10))
        try socket.bind("tcp://127.0.0.1:*")
        return (socket, try socket.lastEndpoint())
    }

    @Test("ROUTER and DEALER carry multipart messages both ways with the identity prefixed")
    func routerDealer() throws {
        let (router, endpoint) = try tcp()
        let dealer = try Socket(context, .dealer)
        try dealer.setReceiveTimeout(.seconds(10))
        try dealer.setRoutingId(Array("client-1".utf8))
        try dealer.connect(endpoint)
        try dealer.send(parts: [[], Array("hello".utf8), [0, 1, 2]])
        let received = try #require(try router.receiveMultipart())
        #expect(received == [Array("client-1".utf8), [], Array("hello".utf8), [0, 1, 2]])
        try router.send(parts: [received[0], [], Array("world".utf8)])
        #expect(try dealer.receiveMultipart() == [[], Array("world".utf8)])
    }

    @Test("REQ gets a reply from a ROUTER through the empty delimiter")
    func requestReply() throws {
        let (router, endpoint) = try tcp()
        let request = try Socket(context, .req)
        try request.setReceiveTimeout(.seconds(10))
        try request.connect(endpoint)
        try request.send("ping")
        let parts = try #require(try router.receiveMultipart())
        #expect(parts.count == 3 && parts[1].isEmpty && parts[2] == Array("ping".utf8))
        try router.send(parts: [parts[0], [], Array("pong".utf8)])
        #expect(try request.receive() == Array("pong".utf8))
    }

    @Test("A 20 MB frame passes whole: the wrapper has no size limit of its own")
    func largeFrame() throws {
        let (push, pull) = try pushPull()
        let big = (0..<(20 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try push.send(big)
        #expect(try pull.receive() == big)
    }

    @Test("Frames are lent in order, each once, and counted; nothing queued gives nil")
    func lentFrames() throws {
        let (push, pull) = try pushPull()
        #expect(try pull.receiveFrames(dontWait: true) { _, _ in Issue.record("nothing was queued") } == nil)
        let parts: [[UInt8]] = [Array("topic".utf8), [], Array(repeating: 7, count: 100_000)]
        try push.send(parts: parts)
        var seen: [(Int, [UInt8])] = []
        let count = try pull.receiveFrames { index, bytes in seen.append((index, Array(bytes))) }
        #expect(count == 3)
        #expect(seen.map(\.0) == [0, 1, 2])
        #expect(seen.map(\.1) == parts)
    }

    @Test("A non-blocking receive with nothing queued returns nil, and poll times out")
    func nonBlockingAndPollTimeout() throws {
        let pull = try Socket(context, .pull)
        try pull.bind(inproc())
        #expect(try pull.receive(dontWait: true) == nil)
        let poller = Poller()
        let index = poller.add(pull)
        #expect(try poller.poll(timeout: .milliseconds(20)) == 0)
        #expect(!poller.isReadable(index))
    }

    @Test("Poll reports a readable socket and a rung wakeup descriptor")
    func pollReadable() throws {
        let (push, pull) = try pushPull()
        let wakeup = try Wakeup()
        let poller = Poller()
        let socketIndex = poller.add(pull)
        let wakeIndex = poller.add(fileDescriptor: wakeup.fileDescriptor)
        // Non-blocking, and close-on-exec from the start: no process spawned beside it inherits it.
        #expect(fcntl(wakeup.fileDescriptor, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(wakeup.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        wakeup.ring()
        #expect(try poller.poll(timeout: .seconds(5)) == 1)
        #expect(poller.isReadable(wakeIndex) && !poller.isReadable(socketIndex))
        wakeup.drain()
        try push.send("x")
        #expect(try poller.poll(timeout: .seconds(5)) == 1)
        #expect(poller.isReadable(socketIndex) && !poller.isReadable(wakeIndex))
        #expect(try pull.receive() == Array("x".utf8))
    }

    @Test("Errors carry errno and the failed operation")
    func errors() throws {
        let socket = try Socket(context, .pub)
        let error = #expect(throws: ZeroMQError.self) { try socket.bind("nonsense://here") }
        #expect(error?.operation == "zmq_bind(nonsense://here)")
        #expect(error?.errno == EPROTONOSUPPORT)
        let (router, endpoint) = try tcp()
        _ = router
        let taken = try Socket(context, .router)
        let inUse = #expect(throws: ZeroMQError.self) { try taken.bind(endpoint) }
        #expect(inUse?.errno == EADDRINUSE)
        #expect(inUse?.description.contains("Address already in use") == true)
    }

    @Test("A monitored bind that fails throws the errno its monitor reports, and the event is read")
    func monitoredBindFails() throws {
        let (holder, endpoint) = try tcp()
        _ = holder
        let taken = try Socket(context, .router)
        let events = try taken.monitor(at: inproc())
        let inUse = #expect(throws: ZeroMQError.self) { try taken.bind(endpoint, monitoredBy: events) }
        #expect(inUse?.errno == EADDRINUSE)
        #expect(inUse?.operation == "zmq_bind(\(endpoint))")
        // The bind-failed report was taken to name the errno; what stays is none of it.
        while let event = try events.nextEvent(dontWait: true) { #expect(event.kind != .bindFailed) }
        // A bind that succeeds reports listening and leaves the report to the socket's reader.
        let free = try Socket(context, .router)
        let freeEvents = try free.monitor(at: inproc())
        try free.bind("tcp://127.0.0.1:*", monitoredBy: freeEvents)
        #expect(try freeEvents.nextEvent(dontWait: true)?.kind == .listening)
    }

    @Test("A receive on a shut-down context fails as terminated")
    func terminated() throws {
        let context = try Context()
        let pull = try Socket(context, .pull)
        try pull.bind("inproc://terminated")
        context.shutdown()
        let error = #expect(throws: ZeroMQError.self) { try pull.receive() }
        #expect(error?.isTerminated == true)
    }

    @Test("A receive timeout fails as again")
    func receiveTimeout() throws {
        let pull = try Socket(context, .pull)
        try pull.bind(inproc())
        try pull.setReceiveTimeout(.milliseconds(10))
        let error = #expect(throws: ZeroMQError.self) { try pull.receive() }
        #expect(error?.isAgain == true)
    }

    @Test("Setting every option the suite uses succeeds")
    func options() throws {
        let socket = try Socket(context, .xpub)
        try socket.setLinger(.milliseconds(100))
        try socket.setLinger(nil)
        try socket.setSendHighWaterMark(10)
        try socket.setReceiveHighWaterMark(10)
        try socket.setMaximumMessageSize(1 << 20)
        try socket.setMaximumMessageSize(nil)
        try socket.setRoutingId([1, 2, 3])
        try socket.setHeartbeat(interval: .seconds(1), timeout: .seconds(3), ttl: .seconds(6))
        try socket.setXPubVerbose(true)
        try socket.setXPubVerboser(true)
        try socket.setXPubNoDrop(true)
        try socket.setImmediate(true)
        try socket.setSendTimeout(.seconds(1))
        let router = try Socket(context, .router)
        try router.setRouterMandatory(true)
        let request = try Socket(context, .req)
        try request.setRequestRelaxed(true)
        // They reach libzmq, which checks them: a routing id longer than 255 bytes is refused.
        #expect(throws: ZeroMQError.self) { try router.setRoutingId([UInt8](repeating: 1, count: 256)) }
        #expect(throws: ZeroMQError.self) { try router.setRoutingId([]) }
    }

    @Test("A peer sending more than the maximum message size is disconnected, not served")
    func maximumMessageSize() throws {
        let router = try Socket(context, .router)
        // Options are copied at bind time, so the limit is set first.
        try router.setMaximumMessageSize(1000)
        try router.bind("tcp://127.0.0.1:*")
        let tcpEndpoint = try router.lastEndpoint()
        let dealer = try Socket(context, .dealer)
        try dealer.connect(tcpEndpoint)
        let events = try router.monitor(at: "inproc://max-size-\(UUID().uuidString)")
        try events.setReceiveTimeout(.seconds(10))
        try dealer.send([UInt8](repeating: 7, count: 5000))
        // The connection the oversized frame came on is dropped (the monitor says so), and the frame
        // never reaches the router.
        var kinds: [MonitorEvent.Kind] = []
        while !kinds.contains(.disconnected), let event = try events.nextEvent() { kinds.append(event.kind) }
        #expect(kinds.contains(.disconnected), "\(kinds)")
        #expect(try router.receiveMultipart(dontWait: true) == nil)
    }
}

@Suite("ZeroMQ forwarding")
struct ForwardTests {
    @Test("forward moves a whole multipart message to another socket and reports its size")
    func forward() throws {
        let context = try Context()
        let input = try Socket(context, .pull)
        try input.bind("inproc://forward-in")
        let output = try Socket(context, .push)
        try output.bind("inproc://forward-out")
        let sender = try Socket(context, .push)
        try sender.connect("inproc://forward-in")
        let receiver = try Socket(context, .pull)
        try receiver.setReceiveTimeout(.seconds(10))
        try receiver.connect("inproc://forward-out")
        #expect(try input.forward(to: output, dontWait: true) == nil)
        try sender.send(parts: [Array("topic".utf8), [], [UInt8](repeating: 9, count: 100_000)])
        #expect(try input.forward(to: output) == 100_005)
        #expect(try receiver.receiveMultipart() == [Array("topic".utf8), [], [UInt8](repeating: 9, count: 100_000)])
    }
}

@Suite("Poller timeouts")
struct PollerTimeoutTests {
    @Test("A timeout under a millisecond sleeps rather than spins: zmq_poll counts whole milliseconds, rounded up")
    func subMillisecondTimeout() throws {
        let context = try Context()
        let socket = try Socket(context, .pull)
        try socket.bind("inproc://poller-timeout")
        let poller = Poller()
        poller.add(socket)
        let start = ContinuousClock.now
        for _ in 0..<20 {
            #expect(try poller.poll(timeout: .microseconds(300)) == 0)
        }
        // Truncated to 0 ms, the 20 polls would return at once; rounded up, each waits at least 300 µs.
        #expect(ContinuousClock.now - start >= .microseconds(6000))
    }
}
