import Logging
import Synchronization
import ZeroMQ

/// Connects a service's socket to the bus, says in the log when a connection fails its handshake,
/// which nothing else would, and connects again where libzmq gives up. A service whose key the bus
/// refuses, or that holds a `bus.pub` the bus does not run with, goes on serving commands while none
/// of its events reaches the bus, and its subscribers only see it fall silent.
///
/// It reads the handshakes of one socket (a publisher's or a subscriber's connections) through a
/// socket monitor. Its owner drains it from a loop that never waits long, every `readInterval` or
/// so, not on the path of every batch: libzmq blocks the context while a thousand reports lie unread,
/// and failing handshakes come ten a second. A failure is a warning, the first at once and then at most
/// one a minute while they go on, with how many it stands for; a handshake that succeeds after
/// failures is a notice. A failure without detail is said from the second in a row, since a
/// connection lost during its handshake reports one.
///
/// libzmq tries a connection again every 100 ms after a failure without detail (the bus closed it: a
/// `bus.pub` it cannot read with, or the bus going down), but never after a refused key or a protocol
/// error (CURVE on at one end only): libzmq 4.3.4 ends that connection for good. Put right (the key
/// allowed again, the bus restarted with CURVE on), such a service would stay cut off from the bus
/// until it restarted. So this connects it again itself, 1 s after the failure, then twice as long
/// after each failure in a row, up to `longestRetry`.
struct BusHandshakes {
    /// How often the owner reads the reports.
    static let readInterval: Duration = .milliseconds(500)

    /// The longest wait before connecting again after a failure libzmq does not try again.
    static let longestRetry: Duration = .seconds(30)

    /// The PAIR socket the reports come on.
    private let monitor: Socket
    /// The socket, and the endpoints it connects to as configured (a report names a TCP endpoint by
    /// the address it resolved to).
    private let socket: Socket
    private let endpoints: [String]
    /// The endpoints to connect again, each with when and the wait it is at (which doubles while they
    /// keep failing, and is forgotten once a handshake succeeds).
    private var retries: [String: (at: ContinuousClock.Instant?, wait: Duration)] = [:]
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

    /// Watches `socket`'s handshakes and connects it to `endpoints`.
    init(
        _ socket: Socket, connectingTo endpoints: [String], socketName: String, consequence: String,
        identity: CurveIdentity? = TransportSecurity.current, logger: Logger
    ) throws(ZeroMQError) {
        monitor = try socket.monitor(at: "inproc://bus-handshakes-\(socketName)-\(EventID.next())", handshakesOnly: true)
        for endpoint in endpoints { try socket.connect(endpoint) }
        self.socket = socket
        self.endpoints = endpoints
        self.socketName = socketName
        self.consequence = consequence
        self.identity = identity
        self.logger = logger
    }

    /// Why the bus refuses a key.
    private static let refusal = "revoked, not on the allow-list, or of a role the bus does not admit"

    /// Reads every report queued and logs what it says, and connects again what is due.
    mutating func drain() {
        var read = false
        while let event = try? monitor.nextEvent(dontWait: true) {
            observe(event)
            read = true
        }
        if read {
            let problems = failing.keys.sorted().map { failing[$0]! }
            Self.current.withLock { $0[socketName] = problems }
        }
        let now = ContinuousClock.now
        for (endpoint, retry) in retries {
            guard let at = retry.at, at <= now else { continue }
            // The ended connection may still be listed (then disconnect drops it) or not (ENOENT).
            try? socket.disconnect(endpoint)
            do {
                try socket.connect(endpoint)
                logger.debug("connecting to the bus again: libzmq does not after this failure", metadata: ["socket": "\(socketName)", "endpoint": "\(endpoint)"])
            } catch {
                logger.warning("could not connect to the bus again", metadata: ["socket": "\(socketName)", "endpoint": "\(endpoint)", "error": "\(error)"])
            }
            retries[endpoint]?.at = nil
        }
    }

    /// The endpoints, as configured, that a report's endpoint stands for: the one it names, else (a
    /// host name, which the report gives resolved) those on its port, else all.
    private func configured(_ reported: String) -> [String] {
        if endpoints.contains(reported) { return [reported] }
        let port = reported.split(separator: ":").last.map { ":\($0)" } ?? reported
        let samePort = endpoints.filter { $0.hasSuffix(port) }
        return samePort.isEmpty ? endpoints : samePort
    }

    /// Connects `reported`'s endpoints again after a wait: 1 s, then twice the last while they keep
    /// failing, up to `longestRetry`.
    private mutating func retry(_ reported: String) {
        for endpoint in configured(reported) where retries[endpoint]?.at == nil {
            let wait = retries[endpoint].map { min($0.wait * 2, Self.longestRetry) } ?? .seconds(1)
            retries[endpoint] = (ContinuousClock.now + wait, wait)
        }
    }

    private mutating func observe(_ event: MonitorEvent) {
        let metadata: Logger.Metadata = ["socket": "\(socketName)", "endpoint": "\(event.endpoint)"]
        switch event.kind {
        case .handshakeSucceeded:
            failedWithoutDetail.remove(event.endpoint)
            for endpoint in configured(event.endpoint) { retries[endpoint] = nil }
            if failing.removeValue(forKey: event.endpoint) != nil { logger.notice("bus handshake succeeded after failures", metadata: metadata) }
        case .handshakeFailedNoDetail where failedWithoutDetail.insert(event.endpoint).inserted:
            // A connection lost during its handshake (the bus stopping at that moment) reports this
            // too, so one is not said; a key the bus cannot read fails so again at the next attempt,
            // 100 ms later.
            break
        case .handshakeFailedAuth, .handshakeFailedProtocol, .handshakeFailedNoDetail:
            if event.kind != .handshakeFailedNoDetail { retry(event.endpoint) }
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
