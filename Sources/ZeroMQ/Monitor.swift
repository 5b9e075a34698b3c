import CZeroMQ

/// A socket event reported by `zmq_socket_monitor`.
public struct MonitorEvent: Sendable, Equatable {
    /// The kinds of event Banshi looks at; anything else is `.other`.
    public enum Kind: Sendable, Equatable {
        case connected, accepted, disconnected, closed, listening, bindFailed
        case handshakeSucceeded, handshakeFailedAuth, handshakeFailedProtocol, handshakeFailedNoDetail
        case other(UInt16)
    }

    public let kind: Kind
    /// The event's value (a file descriptor, an errno or a status code, depending on the kind).
    public let value: UInt32
    /// The endpoint the event concerns.
    public let endpoint: String

    init?(parts: [[UInt8]]) {
        guard parts.count == 2, parts[0].count >= 6 else { return nil }
        let raw = UInt16(parts[0][0]) | UInt16(parts[0][1]) << 8
        value = parts[0][2...5].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        endpoint = String(decoding: parts[1], as: UTF8.self)
        switch Int32(raw) {
        case ZMQ_EVENT_CONNECTED: kind = .connected
        case ZMQ_EVENT_ACCEPTED: kind = .accepted
        case ZMQ_EVENT_DISCONNECTED: kind = .disconnected
        case ZMQ_EVENT_CLOSED: kind = .closed
        case ZMQ_EVENT_LISTENING: kind = .listening
        case ZMQ_EVENT_BIND_FAILED: kind = .bindFailed
        case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: kind = .handshakeSucceeded
        case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: kind = .handshakeFailedAuth
        case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: kind = .handshakeFailedProtocol
        case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: kind = .handshakeFailedNoDetail
        default: kind = .other(raw)
        }
    }
}

extension Socket {
    /// Starts reporting this socket's events (`handshakesOnly`: those of its handshakes alone) on a PAIR
    /// socket bound at `endpoint` (an `inproc://` name) and returns that PAIR socket, connected, for the
    /// same thread to read with `nextEvent`.
    ///
    /// Read it: libzmq blocks the thread that reports an event (its I/O thread, for connections) while
    /// a thousand are queued unread, and every socket of the context with it. The PAIR socket keeps
    /// this one open, and stops the reports before it closes (see `deinit`).
    public func monitor(at endpoint: String, handshakesOnly: Bool = false) throws(ZeroMQError) -> Socket {
        let events =
            handshakesOnly
            ? ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
            : ZMQ_EVENT_ALL
        try zmqCall("zmq_socket_monitor(\(endpoint))") { zmq_socket_monitor(handle, endpoint, events) }
        let pair = try Socket(context, .pair)
        try pair.connect(endpoint)
        pair.monitored = self
        return pair
    }

    /// Binds to `endpoint`, like `bind`, on a socket whose events `events` (from `monitor(at:)`) reports.
    ///
    /// A failed bind throws the errno libzmq reports on the monitor (`ZMQ_EVENT_BIND_FAILED`), taken at
    /// the failure. The errno `zmq_bind` returns with can be another: libzmq sends that report on the
    /// monitor before it returns, and a send that finds the monitor's command mailbox empty sets
    /// `EAGAIN` (libzmq 4.3.4, when more than a millisecond passes between its two reports of the
    /// failure). A bind refused for a port in use then read "Resource temporarily unavailable".
    public func bind(_ endpoint: String, monitoredBy events: Socket) throws(ZeroMQError) {
        do {
            try bind(endpoint)
        } catch {
            // The reports were queued before zmq_bind returned; nothing else is reported before a bind.
            while let parts = try? events.receiveMultipart(dontWait: true) {
                if let event = MonitorEvent(parts: parts), event.kind == .bindFailed {
                    throw ZeroMQError(errno: Int32(bitPattern: event.value), operation: error.operation)
                }
            }
            throw error
        }
    }

    /// Reads one event from a monitor PAIR socket; `nil` when `dontWait` is set and none is queued.
    public func nextEvent(dontWait: Bool = false) throws(ZeroMQError) -> MonitorEvent? {
        guard let parts = try receiveMultipart(dontWait: dontWait) else { return nil }
        return MonitorEvent(parts: parts)
    }
}
