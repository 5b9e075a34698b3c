import Synchronization
import ZeroMQ

/// Why a call to a control socket produced no reply.
public enum ControlClientError: Error, Sendable, CustomStringConvertible {
    /// Nothing came back within the timeout: the service is down, wedged, or not at that endpoint.
    case timeout(service: String, endpoint: String, after: Duration)
    /// The reply was not a well-formed command reply.
    case malformedReply(service: String, endpoint: String)
    /// The socket itself failed.
    case transport(service: String, endpoint: String, ZeroMQError)
    /// The service refused this client's key at the CURVE handshake: revoked, not on its allow-list,
    /// or of a role that may not use control sockets (`subscriber`).
    case refused(service: String, endpoint: String, key: String)
    /// The handshake failed for another reason: CURVE on at one end only, or the service's public key
    /// (`serverKey`, the file) is not the one it runs with. `after`: nothing answered within that time;
    /// `nil`: the failure was a protocol error, after which libzmq never connects again, so the call
    /// ended at once.
    case handshakeFailed(service: String, endpoint: String, after: Duration?, serverKey: String?)

    /// Why a service refuses a key at the handshake.
    public static let refusalReasons = "it is revoked, not on the allow-list, or of a role that may not send commands (subscriber)"

    public var description: String {
        switch self {
        case .timeout(let service, let endpoint, let after):
            "\(service) did not answer at \(endpoint) within \(after.readable)"
        case .malformedReply(let service, let endpoint):
            "\(service) at \(endpoint) sent a reply that is not a well-formed command reply"
        case .transport(let service, let endpoint, let error):
            "\(service) at \(endpoint): \(error)"
        case .refused(let service, let endpoint, let key):
            "\(service) at \(endpoint) refused key '\(key)' at the handshake: \(Self.refusalReasons)"
        case .handshakeFailed(let service, let endpoint, let after, let serverKey):
            "the \(serverKey == nil ? "" : "CURVE ")handshake with \(service) at \(endpoint) failed"
                + (after.map { ", and nothing answered within \($0.readable)" } ?? "")
                + ": \(Self.handshakeCheck(serverKey: serverKey, peer: "the service"))"
        }
    }

    /// What to check when a handshake with `peer` fails otherwise than by a refusal: with CURVE on here,
    /// whether it is on there too and `serverKey` (the file) is the key it runs with; with it off here,
    /// whether it is on there. Said by a call's error and by a service's bus connections alike.
    public static func handshakeCheck(serverKey: String?, peer: String) -> String {
        if let serverKey { "is CURVE on at both ends ([security] curve), and is \(serverKey) the key it runs with?" }
        else { "CURVE is off here ([security] curve = false); is it on at \(peer)?" }
    }
}

/// A client of one service's control socket: send a command, wait a bounded time for its reply.
///
/// It speaks through a DEALER with the REQ envelope (an empty delimiter frame), so a lost reply
/// never wedges it the way a REQ socket would; replies whose id does not match are stale ones from an
/// earlier timed-out call and are skipped. Not `Sendable`: one owner, like its socket.
public final class ControlClient {
    public let service: String
    public let endpoint: String
    public let timeout: Duration
    private let socket: Socket
    /// The socket's handshakes, when watched: a refused key or a failed handshake told from a service
    /// that is down.
    private let monitor: Socket?
    /// With CURVE on: this client's key and the file of the service's public key, which its errors name.
    private let identity: (key: String, serverKey: String)?
    /// Whether a handshake failed without detail, which libzmq tries again (and none succeeded since).
    private var handshakeFailed = false

    /// Distinguishes the monitors' `inproc://` names within a process.
    private static let monitors = Atomic<Int>(0)

    /// Connects to `service` at `endpoint`, as `identity` when CURVE is on (by default, the process's own).
    ///
    /// `watchHandshakes`: tell a refused key or a failed handshake from a service that is down, for a
    /// client that is used at once, by a person (banshictl's). The handshakes are watched through a
    /// socket monitor, which only a client that keeps calling reads: one left idle while its
    /// connection is refused again and again would fill the monitor's queue, and libzmq then blocks
    /// every socket of the context. So a service's long-lived clients do without.
    public init(
        context: Context, service: String, endpoint: String, timeout: Duration = .seconds(3),
        identity: CurveIdentity? = TransportSecurity.current, watchHandshakes: Bool = false
    ) throws {
        self.service = service
        self.endpoint = endpoint
        self.timeout = timeout
        socket = try Socket(context, .dealer)
        try socket.setLinger(.zero)
        try identity?.secureClient(socket, peer: service)
        self.identity = identity.map { ($0.name, $0.publicKeyPath(of: service)) }
        monitor =
            watchHandshakes
            ? try socket.monitor(at: "inproc://banshi-control-client-\(Self.monitors.add(1, ordering: .relaxed).newValue)", handshakesOnly: true)
            : nil
        try socket.connect(endpoint)
    }

    /// Sends `command` with `args` and waits for the reply.
    public func call(
        _ command: String, _ args: [String: JSONValue] = [:], id: String = EventID.next()
    ) throws(ControlClientError) -> CommandReply {
        try call(CommandRequest(id: id, command: command, args: args))
    }

    /// Sends `request` and waits for its reply, the timeout in all.
    public func call(_ request: CommandRequest) throws(ControlClientError) -> CommandReply {
        let replyFrames = try exchange([Array(request.serialized().utf8)], matching: request.id)
        do {
            return try CommandReply.parse(replyFrames)
        } catch {
            throw .malformedReply(service: service, endpoint: endpoint)
        }
    }

    /// Sends raw `frames` (as a peer might, malformed or not) and returns the raw reply frame.
    ///
    /// With `matching`, replies carrying another id are skipped as stale.
    public func exchange(_ frames: [[UInt8]], matching id: String? = nil) throws(ControlClientError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        try send(frames, until: deadline)
        return try receive(matching: id, until: deadline, limit: timeout)
    }

    /// Sends one request without waiting for its reply, so that a caller can have the next one in
    /// flight while it works on the last reply (catch-up does, page by page).
    public func send(_ request: CommandRequest) throws(ControlClientError) {
        try send(request, until: ContinuousClock.now + timeout)
    }

    private func send(_ request: CommandRequest, until deadline: ContinuousClock.Instant) throws(ControlClientError) {
        try send([Array(request.serialized().utf8)], until: deadline)
    }

    /// Queues `frames` (with the REQ envelope) by `deadline`.
    ///
    /// A DEALER queues a message on a connection, and after a handshake's protocol error (a refused key,
    /// CURVE at one end only) it has none for good: libzmq 4.3.4 ends that connection's session and
    /// does not connect again (`session_base_t::engine_error`). A blocking send waited there blind to
    /// the handshakes: banshictl with a refused key waited out its whole timeout (in CI, and within the
    /// first rounds of 360 calls made six at a time), and with CURVE off against a service with it on,
    /// for good. So the send never blocks: it polls for the socket to take the message, reading the
    /// handshakes meanwhile, and a failure libzmq will not try again ends it at once (`readHandshakes`,
    /// docs/architecture.md).
    private func send(_ frames: [[UInt8]], until deadline: ContinuousClock.Instant) throws(ControlClientError) {
        let message = [[]] + frames
        var failure: ControlClientError?
        do {
            if try socket.send(parts: message, dontWait: true) { return }
            let poller = Poller()
            let writable = poller.add(socket, events: .writable)
            let handshakes = monitor.map { poller.add($0) }
            while failure == nil {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { break }
                guard try poller.poll(timeout: remaining) > 0 else { continue }
                if let handshakes, poller.isReadable(handshakes) { failure = try readHandshakes() }
                if poller.events(at: writable).contains(.writable), try socket.send(parts: message, dontWait: true) { return }
            }
        } catch {
            throw .transport(service: service, endpoint: endpoint, error)
        }
        if let failure { throw failure }
        // No connection took it in time: the service is down, or every handshake fails.
        throw nothingAnswered(within: timeout)
    }

    /// Why nothing came within `limit`: the key the service refused or the handshake that failed,
    /// when the handshakes are watched and said so; else a timeout.
    private func nothingAnswered(within limit: Duration) -> ControlClientError {
        if let failure = (try? readHandshakes()) ?? nil { return failure }
        if handshakeFailed { return .handshakeFailed(service: service, endpoint: endpoint, after: limit, serverKey: identity?.serverKey) }
        return .timeout(service: service, endpoint: endpoint, after: limit)
    }

    /// Sends every request at once on this connection (pipelined: the service reads them in order and
    /// may commit them together) and waits up to the timeout, for all of them together, for their
    /// replies. Returns the replies that came, by request id; a request missing from it timed out.
    public func callAll(_ requests: [CommandRequest]) throws(ControlClientError) -> [String: CommandReply] {
        let deadline = ContinuousClock.now + timeout
        for request in requests { try send(request, until: deadline) }
        var waiting = Set(requests.map(\.id))
        var replies: [String: CommandReply] = [:]
        while !waiting.isEmpty {
            let body: [UInt8]
            do {
                body = try receive(matching: nil, until: deadline, limit: timeout)
            } catch .timeout {
                break
            }
            // A reply to none of these (a stale one from an earlier timed-out call) is skipped.
            guard let reply = try? CommandReply.parse(body), let id = reply.id, waiting.remove(id) != nil else { continue }
            replies[id] = reply
        }
        return replies
    }

    /// Waits up to `limit` (the client's timeout when `nil`) for the reply to request `id` (any reply
    /// when `nil`), skipping stale ones.
    public func receive(matching id: String?, within limit: Duration? = nil) throws(ControlClientError) -> [UInt8] {
        let limit = limit ?? timeout
        return try receive(matching: id, until: ContinuousClock.now + limit, limit: limit)
    }

    private func receive(
        matching id: String?, until deadline: ContinuousClock.Instant, limit: Duration
    ) throws(ControlClientError) -> [UInt8] {
        let poller = Poller()
        let replies = poller.add(socket)
        let handshakes = monitor.map { poller.add($0) }
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw nothingAnswered(within: limit) }
            let received: [[UInt8]]?
            var failure: ControlClientError?
            do {
                guard try poller.poll(timeout: remaining) > 0 else { continue }
                if let handshakes, poller.isReadable(handshakes) { failure = try readHandshakes() }
                received = poller.isReadable(replies) ? try socket.receiveMultipart(dontWait: true) : nil
            } catch {
                throw .transport(service: service, endpoint: endpoint, error)
            }
            if let failure { throw failure }
            guard let parts = received else { continue }
            guard let body = parts.last else { continue }
            if let id, let replyID = CommandReply.peekID(body), replyID != id { continue }
            return body
        }
    }

    /// Reads the monitor's events; returns the failure that ends the call at once: the service refused
    /// the key (it would refuse it again at every connection), or the handshake met a protocol error
    /// (CURVE on at one end only), after which libzmq 4.3.4 ends the connection's session and never
    /// connects again (`session_base_t::engine_error`). A handshake that failed without detail (the
    /// service closed the connection: a wrong server key, or a service going down) is tried again by
    /// libzmq, so it is only noted (`handshakeFailed`), to be said if nothing answers in time.
    private func readHandshakes() throws(ZeroMQError) -> ControlClientError? {
        while let event = try monitor?.nextEvent(dontWait: true) {
            switch event.kind {
            case .handshakeFailedAuth:
                return .refused(service: service, endpoint: endpoint, key: identity?.key ?? "(none: CURVE is off here)")
            case .handshakeFailedProtocol:
                return .handshakeFailed(service: service, endpoint: endpoint, after: nil, serverKey: identity?.serverKey)
            case .handshakeFailedNoDetail: handshakeFailed = true
            case .handshakeSucceeded: handshakeFailed = false
            default: break
            }
        }
        return nil
    }
}
