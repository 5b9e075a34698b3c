import ZeroMQ

/// Why a call to a control socket produced no reply.
public enum ControlClientError: Error, Sendable, CustomStringConvertible {
    /// Nothing came back within the timeout: the service is down, wedged, or not at that endpoint.
    case timeout(service: String, endpoint: String, after: Duration)
    /// The reply was not a well-formed command reply.
    case malformedReply(service: String, endpoint: String)
    /// The socket itself failed.
    case transport(service: String, endpoint: String, ZeroMQError)

    public var description: String {
        switch self {
        case .timeout(let service, let endpoint, let after):
            "\(service) did not answer at \(endpoint) within \(after.readable)"
        case .malformedReply(let service, let endpoint):
            "\(service) at \(endpoint) sent a reply that is not a well-formed command reply"
        case .transport(let service, let endpoint, let error):
            "\(service) at \(endpoint): \(error)"
        }
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

    /// Connects to `service` at `endpoint`, as `identity` when CURVE is on (by default, the process's own).
    public init(
        context: Context, service: String, endpoint: String, timeout: Duration = .seconds(3),
        identity: CurveIdentity? = TransportSecurity.current
    ) throws {
        self.service = service
        self.endpoint = endpoint
        self.timeout = timeout
        socket = try Socket(context, .dealer)
        try socket.setLinger(.zero)
        try identity?.secureClient(socket, peer: service)
        try socket.connect(endpoint)
    }

    /// Sends `command` with `args` and waits for the reply.
    public func call(
        _ command: String, _ args: [String: JSONValue] = [:], id: String = EventID.next()
    ) throws(ControlClientError) -> CommandReply {
        try call(CommandRequest(id: id, command: command, args: args))
    }

    /// Sends `request` and waits for its reply.
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
        try send(frames)
        return try receive(matching: id)
    }

    /// Sends one request without waiting, so that a caller can have the next one in flight while it
    /// works on the last reply (catch-up does, page by page).
    public func send(_ request: CommandRequest) throws(ControlClientError) {
        try send([Array(request.serialized().utf8)])
    }

    private func send(_ frames: [[UInt8]]) throws(ControlClientError) {
        do {
            try socket.send(parts: [[]] + frames)
        } catch {
            throw .transport(service: service, endpoint: endpoint, error)
        }
    }

    /// Sends every request at once on this connection (pipelined: the service reads them in order and
    /// may commit them together) and waits up to the timeout, for all of them together, for their
    /// replies. Returns the replies that came, by request id; a request missing from it timed out.
    public func callAll(_ requests: [CommandRequest]) throws(ControlClientError) -> [String: CommandReply] {
        for request in requests { try send(request) }
        var waiting = Set(requests.map(\.id))
        var replies: [String: CommandReply] = [:]
        let deadline = ContinuousClock.now + timeout
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
        poller.add(socket)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timeout(service: service, endpoint: endpoint, after: limit) }
            let parts: [[UInt8]]
            do {
                guard try poller.poll(timeout: remaining) > 0,
                    let received = try socket.receiveMultipart(dontWait: true)
                else { continue }
                parts = received
            } catch {
                throw .transport(service: service, endpoint: endpoint, error)
            }
            guard let body = parts.last else { continue }
            if let id, let replyID = CommandReply.peekID(body), replyID != id { continue }
            return body
        }
    }
}
