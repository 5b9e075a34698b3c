import BanshiKit
import Logging
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// The event bus: an XSUB/XPUB proxy that counts what it forwards and who is connected.
///
/// Publishers connect to the XSUB side, subscribers to the XPUB side. Subscriptions travel upstream,
/// events downstream. The loop is written out rather than using `zmq_proxy` so that the same thread
/// can count messages and read the socket monitors that tell how many peers are connected.
public final class BusProxy: Sendable {
    /// What `status` reports.
    public struct Statistics: Sendable {
        public var messagesForwarded: Int64 = 0
        public var bytesForwarded: Int64 = 0
        public var subscriptionsForwarded: Int64 = 0
        /// Events dropped because their topic is not the publishing key's own service.
        public var eventsRefused: Int64 = 0
        public var publishers = 0
        public var subscribers = 0
        /// Topic prefixes someone is subscribed to (`""` is "everything").
        public var topics: Set<String> = []
    }


    public let publishEndpoint: String
    public let subscribeEndpoint: String
    private let context: Context
    private let wakeup: Wakeup
    private let state = Mutex(Statistics())
    private let thread = SocketThread(name: "banshi-proxy")
    private let logger: Logger

    private let highWaterMark: Int32
    /// How many peers each side keeps connected at most (`ConnectionCap`).
    public let maxConnections: Int
    /// The allow-list, when CURVE is on: every event's topic is checked against its publisher's key,
    /// and revoked keys' connections are cut.
    private let keys: KeyRingStore?

    public init(
        context: Context, publish: String, subscribe: String, highWaterMark: Int32, maxConnections: Int,
        keys: KeyRingStore? = nil, logger: Logger
    ) throws {
        self.context = context
        self.maxConnections = maxConnections
        self.keys = keys
        self.highWaterMark = highWaterMark
        self.publishEndpoint = publish
        self.subscribeEndpoint = subscribe
        self.wakeup = try Wakeup()
        self.logger = logger
    }

    public var statistics: Statistics { state.withLock { $0 } }

    /// Binds both sides and starts forwarding on a thread of its own.
    public func start() async throws {
        try await thread.start { [self] started in forward(started: started) }
    }

    /// Stops forwarding and returns once the sockets are closed.
    public func stop() async {
        await thread.stop(wake: wakeup.ring)
    }

    private func forward(started: @Sendable (Result<Void, any Error>) -> Void) {
        let frontend: Socket, backend: Socket, frontendEvents: Socket, backendEvents: Socket
        do {
            frontend = try Socket(context, .xsub)
            backend = try Socket(context, .xpub)
            for socket in [frontend, backend] { try socket.setLinger(.zero) }
            // Services publish into the XSUB side; anyone allowed may subscribe on the XPUB side.
            try TransportSecurity.current?.secureServer(frontend, domain: .publish)
            try TransportSecurity.current?.secureServer(backend, domain: .subscribe)
            try frontend.setReceiveHighWaterMark(highWaterMark)
            try backend.setSendHighWaterMark(highWaterMark)
            frontendEvents = try frontend.monitor(at: "inproc://bus-frontend-monitor")
            backendEvents = try backend.monitor(at: "inproc://bus-backend-monitor")
            try frontend.bind(publishEndpoint, monitoredBy: frontendEvents)
            try backend.bind(subscribeEndpoint, monitoredBy: backendEvents)
        } catch {
            started(.failure(error))
            return
        }
        started(.success(()))

        let poller = Poller()
        let fromPublishers = poller.add(frontend)
        let fromSubscribers = poller.add(backend)
        let publisherEvents = poller.add(frontendEvents)
        let subscriberEvents = poller.add(backendEvents)
        let wake = poller.add(fileDescriptor: wakeup.fileDescriptor)
        var publishers = keys.map { PublisherCheck(store: $0, logger: logger) }
        var subscribers = keys.map { PeerConnections(store: $0, socketName: "subscribe", logger: logger) }
        var trimmer = MemoryTrimmer(logger: logger)
        var publisherCap = ConnectionCap(limit: maxConnections, socketName: "publish", logger: logger)
        var subscriberCap = ConnectionCap(limit: maxConnections, socketName: "subscribe", logger: logger)
        while !thread.isStopping {
            do {
                try poller.poll(timeout: .milliseconds(200))
                if poller.isReadable(wake) { wakeup.drain() }
                if poller.isReadable(fromPublishers) { try relayEvents(from: frontend, to: backend, check: &publishers) }
                if poller.isReadable(fromSubscribers) { try relaySubscriptions(from: backend, to: frontend, peers: &subscribers) }
                if poller.isReadable(publisherEvents) {
                    while let event = try frontendEvents.nextEvent(dontWait: true) {
                        publisherCap.observe(event)
                        trimmer.observe(event)
                        publishers?.forget(event)
                    }
                    // The peers connected are the ones the cap admitted: one it cut is never counted.
                    let count = publisherCap.openCount
                    state.withLock { $0.publishers = count }
                }
                if poller.isReadable(subscriberEvents) {
                    while let event = try backendEvents.nextEvent(dontWait: true) {
                        subscriberCap.observe(event)
                        trimmer.observe(event)
                        subscribers?.forget(event)
                    }
                    let count = subscriberCap.openCount
                    state.withLock { $0.subscribers = count }
                }
                trimmer.trimIfSettled()
                publishers?.cutRevoked()
                subscribers?.cutRevoked()
            } catch {
                logger.error("bus proxy failed", metadata: ["error": "\(error)"])
                break
            }
        }
    }

    private func relayEvents(from frontend: Socket, to backend: Socket, check: inout PublisherCheck?) throws(ZeroMQError) {
        var bytes: Int64 = 0
        var received = 0
        let refusedBefore = check?.refused ?? 0
        // A bounded batch, so that subscriptions are not starved under a flood of events. The frames
        // are moved, not copied.
        while received < 10_000 {
            let size: Int?
            if check != nil {
                size = try frontend.forward(to: backend, dontWait: true) { topic, descriptor, userID in
                    check!.admit(topic: topic, descriptor: descriptor, userID: userID)
                }
            } else {
                size = try frontend.forward(to: backend, dontWait: true)
            }
            guard let size else { break }
            received += 1
            bytes += Int64(size)
        }
        let refused = (check?.refused ?? 0) - refusedBefore
        let count = Int64(received) - refused
        state.withLock {
            $0.messagesForwarded += count
            $0.bytesForwarded += bytes
            $0.eventsRefused += refused
        }
    }

    private func relaySubscriptions(from backend: Socket, to frontend: Socket, peers: inout PeerConnections?) throws(ZeroMQError) {
        while let received = try backend.receiveMultipartWithPeer(dontWait: true) {
            let message = received.parts
            peers?.note(received.sourceDescriptor, key: received.userID)
            try frontend.send(parts: message)
            guard let frame = message.first, let kind = frame.first else { continue }
            let topic = String(decoding: frame.dropFirst(), as: UTF8.self)
            state.withLock {
                $0.subscriptionsForwarded += 1
                if kind == 1 { $0.topics.insert(topic) } else { $0.topics.remove(topic) }
            }
        }
    }
}

/// Runs the proxy for the lifetime of the service group.
struct BusProxyService: Service {
    let proxy: BusProxy

    func run() async throws {
        try? await gracefulShutdown()
        await proxy.stop()
    }
}
