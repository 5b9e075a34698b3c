import Logging
import Synchronization
import ZeroMQ

/// Says in the log when a service's connection to the bus fails its handshake, which nothing else
/// would: libzmq reconnects on its own, so a service whose key the bus refuses, or that holds a
/// `bus.pub` the bus does not run with, goes on serving commands while none of its events reaches
/// the bus, and its subscribers only see it fall silent.
///
/// It reads the handshakes of one socket (a publisher's or a subscriber's connections) through a
/// socket monitor. Its owner drains it from a loop that never waits long, every `readInterval` or
/// so, not on the path of every batch: libzmq blocks the context while a thousand reports lie unread,
/// and failing handshakes come ten a second. A failure is a warning, the first at once and then at most
/// one a minute while they go on (libzmq tries again every 100 ms), with how many it stands for;
/// a handshake that succeeds after failures is a notice. A failure without detail is said from the
/// second in a row, since a connection lost during its handshake reports one.
struct BusHandshakes {
    /// How often the owner reads the reports.
    static let readInterval: Duration = .milliseconds(500)

    /// The PAIR socket the reports come on.
    private let monitor: Socket
    private let socketName: String
    /// What a failure costs, for the warning: what does not get through.
    private let consequence: String
    private let identity: CurveIdentity?
    private let logger: Logger
    private var throttle = WarningThrottle(every: .seconds(60))
    /// The endpoints whose last handshake failed, each with what failed, as `problems` says it.
    private var failing: [String: String] = [:]
    /// The endpoints whose last handshake failed without detail, once (not yet said).
    private var failedWithoutDetail: Set<String> = []

    /// What is wrong now with this process's connections to the bus, a sentence an endpoint, its
    /// publisher's and its subscriber's (as each last read them): `status` puts them first in its
    /// warnings, which `banshictl status` prints. Empty once every handshake succeeds again.
    static var problems: [String] { current.withLock { sockets in sockets.keys.sorted().flatMap { sockets[$0]! } } }
    private static let current = Mutex<[String: [String]]>([:])

    /// Watches `socket`'s handshakes; call before it connects, so that the first one is seen.
    init(
        _ socket: Socket, socketName: String, consequence: String, identity: CurveIdentity? = TransportSecurity.current, logger: Logger
    ) throws(ZeroMQError) {
        monitor = try socket.monitor(at: "inproc://bus-handshakes-\(socketName)-\(EventID.next())", handshakesOnly: true)
        self.socketName = socketName
        self.consequence = consequence
        self.identity = identity
        self.logger = logger
    }

    /// Why the bus refuses a key.
    private static let refusal = "revoked, not on the allow-list, or of a role the bus does not admit"

    /// Reads every report queued and logs what it says.
    mutating func drain() {
        var read = false
        while let event = try? monitor.nextEvent(dontWait: true) {
            observe(event)
            read = true
        }
        guard read else { return }
        let now = failing.keys.sorted().map { failing[$0]! }
        Self.current.withLock { $0[socketName] = now }
    }

    private mutating func observe(_ event: MonitorEvent) {
        let metadata: Logger.Metadata = ["socket": "\(socketName)", "endpoint": "\(event.endpoint)"]
        switch event.kind {
        case .handshakeSucceeded:
            failedWithoutDetail.remove(event.endpoint)
            if failing.removeValue(forKey: event.endpoint) != nil { logger.notice("bus handshake succeeded after failures", metadata: metadata) }
        case .handshakeFailedNoDetail where failedWithoutDetail.insert(event.endpoint).inserted:
            // A connection lost during its handshake (the bus stopping at that moment) reports this
            // too, so one is not said; a key the bus cannot read fails so again at the next attempt,
            // 100 ms later.
            break
        case .handshakeFailedAuth, .handshakeFailedProtocol, .handshakeFailedNoDetail:
            let refused = event.kind == .handshakeFailedAuth
            let key = identity?.name ?? "-"
            let check = ControlClientError.handshakeCheck(serverKey: identity?.publicKeyPath(of: "bus"), peer: "the bus")
            failing[event.endpoint] =
                refused
                ? "the bus at \(event.endpoint) refused key '\(key)' at the \(socketName)'s handshake (\(Self.refusal)): \(consequence)"
                : "the \(socketName)'s handshake with the bus at \(event.endpoint) fails: \(consequence); \(check)"
            guard let failures = throttle.occurred() else { return }
            var details = metadata
            details["failures_since_last_warning"] = "\(failures)"
            if refused {
                details["key"] = "\(key)"
                logger.warning("bus handshake refused: the bus refused this service's key (\(Self.refusal)); \(consequence)", metadata: details)
            } else {
                details["check"] = "\(check)"
                logger.warning("bus handshake failed; \(consequence)", metadata: details)
            }
        default: break
        }
    }
}
