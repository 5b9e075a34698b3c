import Logging
import Synchronization
import ZeroMQ

/// A request as it came off the control socket: the routing frames to answer on, and the payload frames.
public struct IncomingRequest: Sendable {
    /// The ROUTER identity, plus the empty delimiter when the client is a REQ socket.
    let route: [[UInt8]]
    /// Everything after the route; a well-formed request is exactly one frame.
    let frames: [[UInt8]]
    /// The key the connection was authenticated with (CURVE); `nil` when CURVE is off.
    let caller: String?
}

/// Where the socket thread hands what it receives. Both run on the socket thread, so nothing is
/// received after `end`.
struct RequestIntake: Sendable {
    /// Takes each batch received together, in arrival order.
    let receive: @Sendable ([IncomingRequest]) -> Void
    /// Called once, when the loop stops accepting (or stops): no batch follows.
    let end: @Sendable () -> Void
}

/// The one thread that owns a service's sockets: the ROUTER control socket and, for a publishing
/// service, the PUB socket connected to the bus.
///
/// ZeroMQ sockets are single-threaded, so nothing else touches them. Requests leave the loop through
/// the `RequestIntake` it is started with, called on this thread; replies and events to publish come
/// back through a locked queue and a pipe doorbell, which wakes the poll at once. The poll also has a
/// finite timeout so that the loop notices shutdown and reports liveness even when idle.
public final class SocketLoop: Sendable {
    struct Outbox {
        var replies: [(route: [[UInt8]], body: [UInt8])] = []
        var events: [[[UInt8]]] = []
        var accepting = true
        var lastTick = ContinuousClock.now
        var published: Int64 = 0
        /// The last `seq` committed and queued for the bus.
        var lastSeq: Int64 = 0
        /// The last `seq` handed to the PUB socket: what every heartbeat carries. A heartbeat leaves
        /// the same socket after the events it counts, so a subscriber that sees it and lacks one of
        /// those events really lost it (rather than not yet received it).
        var sentSeq: Int64 = 0
        /// Requests received and not yet answered (`RequestBudget`).
        var budget: RequestBudget
        var busyWarnings = WarningThrottle()
    }

    public let controlEndpoint: String
    /// Every bus's publish endpoint (none for a service that publishes nothing). One PUB socket
    /// connected to all of them sends each event to each bus.
    public let publishEndpoints: [String]
    private let context: Context
    private let maxMessageBytes: Int64
    private let wakeup: Wakeup
    private let outbox: Mutex<Outbox>
    private let logger: Logger
    private let heartbeat: HeartbeatSchedule?
    /// The allow-list, when CURVE is on: connections of keys taken off it are cut.
    private let keys: KeyRingStore?
    private let thread = SocketThread(name: "banshi-sockets")
    /// How many connections the control socket keeps open at most (`ConnectionCap`).
    public let maxConnections: Int

    /// `heartbeat` makes the loop publish the service's heartbeat at that interval (publishers only).
    public init(
        context: Context, control: String, publish: [String], maxRequestBytes: Int, heartbeat: HeartbeatSchedule?,
        keys: KeyRingStore? = nil, maxConnections: Int = ConnectionCap.limit(configured: 0),
        inFlight: RequestBudget.Limits = .init(perPeer: 1000, total: 10_000, bytes: 64 << 20), logger: Logger
    ) throws {
        outbox = Mutex(Outbox(budget: RequestBudget(inFlight)))
        self.context = context
        self.maxConnections = maxConnections
        self.keys = keys
        self.controlEndpoint = control
        self.publishEndpoints = publish
        // Past this, libzmq drops the connection without a word; below it, an oversized request gets a
        // proper invalid_request reply from the dispatcher.
        self.maxMessageBytes = Int64(max(maxRequestBytes * 4, 64 << 20))
        self.wakeup = try Wakeup()
        self.logger = logger
        self.heartbeat = publish.isEmpty ? nil : heartbeat
    }

    /// Starts the thread and returns once the control socket is bound (or throws why it could not be).
    /// What arrives goes to `intake`, on the thread.
    func start(intake: RequestIntake) async throws {
        try await thread.start { [self] started in serve(intake: intake, started: started) }
    }

    /// Queues replies, each for the client at its route.
    func reply(_ replies: [(route: [[UInt8]], body: [UInt8])]) {
        outbox.withLock { state in
            state.replies.append(contentsOf: replies)
            for reply in replies { state.budget.release(peer: reply.route[0]) }
        }
        wakeup.ring()
    }

    /// Queues committed events (their wire frames) for publication, in order, and advances the
    /// heartbeat's `last_seq` to `lastSeq`.
    func publish(_ frames: [[[UInt8]]], lastSeq: Int64) {
        guard !frames.isEmpty else { return }
        outbox.withLock {
            if !publishEndpoints.isEmpty { $0.events.append(contentsOf: frames) }
            $0.lastSeq = max($0.lastSeq, lastSeq)
        }
        wakeup.ring()
    }

    /// Sets the `last_seq` heartbeats report, from the log at start-up: whatever the log held before
    /// this process was either sent or lost, and a subscriber behind it should fetch it.
    public func setLastSeq(_ seq: Int64) {
        outbox.withLock {
            $0.lastSeq = max($0.lastSeq, seq)
            $0.sentSeq = max($0.sentSeq, seq)
        }
    }

    /// Stops taking new requests (they get `unavailable`) and ends the intake (on the thread, once it
    /// sees this), so that the dispatcher finishes what it already has.
    public func stopAccepting() {
        outbox.withLock { $0.accepting = false }
        wakeup.ring()
    }

    /// Sends what is queued, closes the sockets and ends the thread; returns when it has.
    public func finish() async {
        await thread.stop(wake: wakeup.ring)
    }

    /// When the loop last went round; the watchdog pings only while this is recent.
    public var lastTick: ContinuousClock.Instant { outbox.withLock { $0.lastTick } }

    /// Requests in flight and refused for want of room, for `status`.
    public var requestFigures: [String: JSONValue] {
        outbox.withLock { ["requests_in_flight": .int(Int64($0.budget.total)), "requests_refused_busy": .int($0.budget.refused)] }
    }

    /// How many events the loop has handed to the bus.
    public var publishedCount: Int64 { outbox.withLock { $0.published } }

    // MARK: The thread

    /// The thread's body. Its sockets close when it returns; their linger lets the last replies and
    /// events leave.
    private func serve(intake: RequestIntake, started: @Sendable (Result<Void, any Error>) -> Void) {
        let router: Socket
        let publisher: Socket?
        var peers: PeerConnections?
        var cap = ConnectionCap(limit: maxConnections, socketName: "control", logger: logger)
        var trimmer = MemoryTrimmer(logger: logger)
        let routerEvents: Socket
        var busHandshakes: BusHandshakes?
        do {
            router = try Socket(context, .router)
            try router.setLinger(.seconds(1))
            try router.setMaximumMessageSize(maxMessageBytes)
            try TransportSecurity.current?.secureServer(router, domain: .control)
            if let keys { peers = PeerConnections(store: keys, socketName: "control", logger: logger) }
            routerEvents = try router.monitor(at: "inproc://control-monitor-\(EventID.next())")
            try router.bind(controlEndpoint, monitoredBy: routerEvents)
            if !publishEndpoints.isEmpty {
                let socket = try Socket(context, .pub)
                try TransportSecurity.current?.secureClient(socket, peer: "bus")
                try socket.setLinger(.seconds(2))
                try socket.setSendHighWaterMark(100_000)
                busHandshakes = try BusHandshakes(
                    socket, connectingTo: publishEndpoints, socketName: "publisher",
                    consequence: "none of this service's events or heartbeats reaches the bus, and its subscribers see it fall silent", logger: logger)
                publisher = socket
            } else {
                publisher = nil
            }
        } catch {
            intake.end()
            started(.failure(error))
            return
        }
        started(.success(()))

        let poller = Poller()
        let routerIndex = poller.add(router)
        let wakeIndex = poller.add(fileDescriptor: wakeup.fileDescriptor)
        let eventsIndex = poller.add(routerEvents)
        var nextHeartbeat = ContinuousClock.now
        var nextBusCheck = ContinuousClock.now
        var intakeOpen = true
        defer { if intakeOpen { intake.end() } }
        while true {
            if let heartbeat, let publisher, ContinuousClock.now >= nextHeartbeat {
                let lastSeq = outbox.withLock { $0.sentSeq }
                do {
                    try publisher.send(parts: heartbeat.frames(lastSeq: lastSeq, now: Timestamp()), dontWait: true)
                } catch {
                    logger.warning("heartbeat could not be published", metadata: ["error": "\(error)"])
                }
                nextHeartbeat = ContinuousClock.now + heartbeat.interval
            }
            // The bus's handshakes are read every half second, not polled for: off the path of every batch.
            if busHandshakes != nil, ContinuousClock.now >= nextBusCheck {
                busHandshakes?.drain()
                nextBusCheck = ContinuousClock.now + BusHandshakes.readInterval
            }
            let pollTimeout = heartbeat.map { _ in min(.milliseconds(200), max(.zero, nextHeartbeat - ContinuousClock.now)) }
            do {
                try poller.poll(timeout: pollTimeout ?? .milliseconds(200))
            } catch {
                logger.error("socket poll failed", metadata: ["error": "\(error)"])
                break
            }
            if poller.isReadable(wakeIndex) { wakeup.drain() }
            // Read before taking the queue: `finish` is called only after the last reply was queued, so
            // once this is true the queue taken below holds everything that will ever be sent.
            let finishing = thread.isStopping
            let (replies, events, queuedSeq, accepting) = outbox.withLock { state in
                let taken = (state.replies, state.events, state.lastSeq, state.accepting)
                state.replies.removeAll(keepingCapacity: true)
                state.events.removeAll(keepingCapacity: true)
                state.lastTick = .now
                return taken
            }
            send(replies: replies, events: events, router: router, publisher: publisher)
            outbox.withLock { $0.sentSeq = max($0.sentSeq, queuedSeq) }
            if poller.isReadable(eventsIndex) {
                while let event = try? routerEvents.nextEvent(dontWait: true) {
                    cap.observe(event)
                    trimmer.observe(event)
                    peers?.forget(event)
                }
            }
            trimmer.trimIfSettled()
            peers?.cutRevoked()
            if poller.isReadable(routerIndex) {
                receiveRequests(from: router, accepting: accepting, into: intake, peers: &peers)
            }
            // After the last batch this loop will hand over: requests received from now on are refused.
            if !accepting, intakeOpen {
                intakeOpen = false
                intake.end()
            }
            if finishing {
                // What is queued by now is refused rather than dropped unanswered when the socket
                // closes (what arrives after the close is left to the client's timeout and retry).
                // Bounded, so that a peer that keeps sending cannot hold the close off.
                var rounds = 0
                while rounds < 10, receiveRequests(from: router, accepting: false, into: intake, peers: &peers) { rounds += 1 }
                break
            }
        }
    }

    private func send(replies: [(route: [[UInt8]], body: [UInt8])], events: [[[UInt8]]], router: Socket, publisher: Socket?) {
        for reply in replies {
            do {
                try router.send(parts: reply.route + [reply.body])
            } catch {
                logger.warning("reply could not be sent", metadata: ["error": "\(error)"])
            }
        }
        guard let publisher, !events.isEmpty else { return }
        for event in events {
            do {
                try publisher.send(parts: event)
            } catch {
                logger.warning("event could not be published", metadata: ["error": "\(error)"])
            }
        }
        outbox.withLock { $0.published += Int64(events.count) }
    }

    /// Reads up to 1,000 requests; returns whether it stopped at that bound, with more perhaps waiting.
    @discardableResult
    private func receiveRequests(from router: Socket, accepting: Bool, into intake: RequestIntake, peers: inout PeerConnections?) -> Bool {
        var batch: [IncomingRequest] = []
        defer { if !batch.isEmpty { intake.receive(batch) } }
        // Drain what is queued, a bounded number at a time so that replies are not starved.
        for _ in 0..<1000 {
            let parts: [[UInt8]]
            let caller: String?
            do {
                guard let received = try router.receiveMultipartWithPeer(dontWait: true) else { return false }
                parts = received.parts
                caller = received.userID
                peers?.note(received.sourceDescriptor, key: received.userID)
            } catch {
                logger.warning("control socket receive failed", metadata: ["error": "\(error)"])
                return false
            }
            guard parts.count >= 2 else { continue }  // a ROUTER always prefixes the identity
            var route = [parts[0]]
            var frames = Array(parts.dropFirst())
            if frames.count >= 2, frames[0].isEmpty {
                route.append([])
                frames.removeFirst()
            }
            let request = IncomingRequest(route: route, frames: frames, caller: caller)
            guard accepting else {
                refuse(route, frames, "the service is shutting down; retry shortly", on: router)
                continue
            }
            let size = frames.reduce(0) { $0 + $1.count }
            let (refusal, warn) = outbox.withLock { state -> (RequestBudget.Refusal?, Bool) in
                guard let refusal = state.budget.admit(peer: route[0], size: size) else { return (nil, false) }
                return (refusal, state.busyWarnings.occurred() != nil)
            }
            guard let refusal else {
                batch.append(request)
                continue
            }
            if warn {
                let figures = requestFigures
                logger.warning(
                    "request refused: in-flight limit reached",
                    metadata: [
                        "reason": "\(refusal.rawValue)", "in_flight": "\(figures["requests_in_flight"] ?? 0)",
                        "refused_total": "\(figures["requests_refused_busy"] ?? 0)",
                    ])
            }
            refuse(route, frames, "\(refusal.rawValue); retry shortly", on: router)
        }
        return true
    }

    /// Answers `unavailable` at once, with the request's id when it has one, and keeps nothing of it.
    private func refuse(_ route: [[UInt8]], _ frames: [[UInt8]], _ message: String, on router: Socket) {
        let reply = CommandReply(id: frames.last.flatMap(CommandReply.peekID), outcome: .failure(CommandError(.unavailable, message)))
        do {
            try router.send(parts: route + [reply.serializedBytes()])
        } catch {
            logger.warning("reply could not be sent", metadata: ["error": "\(error)"])
        }
    }
}
