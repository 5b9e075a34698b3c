import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libzmq socket, owned by one thread.
///
/// Deliberately not `Sendable`: libzmq sockets are not thread-safe, so the compiler keeps each one on
/// the thread (or task) that created it. The socket keeps its context alive, so that the context is
/// never terminated under an open socket.
public final class Socket {
    /// The context this socket belongs to.
    public let context: Context
    /// The socket's pattern.
    public let type: SocketType
    let handle: UnsafeMutableRawPointer
    /// One message buffer per socket, reused for every receive: a `zmq_msg_t` must never be copied.
    private let message: UnsafeMutablePointer<zmq_msg_t>
    /// For a monitor's reading end (`monitor(at:)`): the socket it reports on, kept open until this
    /// end stops its reports and closes.
    var monitored: Socket?

    /// Opens a socket of `type` on `context`.
    public init(_ context: Context, _ type: SocketType) throws(ZeroMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZeroMQError(errno: zmq_errno(), operation: "zmq_socket(\(type))")
        }
        self.context = context
        self.type = type
        self.handle = handle
        self.message = .allocate(capacity: 1)
        zmq_msg_init(message)
    }

    deinit {
        // A monitor's reading end stops the reports first. Closed while they go on, it leaves libzmq
        // to send the next one to a PAIR with no peer, which waits for good in the thread that sends
        // it (an I/O thread, for a handshake that fails as its socket closes) and stalls every socket
        // of the context (docs/architecture.md). Closing the reported-on socket first is no help: its
        // connections are torn down later, on the I/O thread, and report as they go.
        if let monitored { zmq_socket_monitor(monitored.handle, nil, 0) }
        zmq_msg_close(message)
        message.deallocate()
        zmq_close(handle)
    }

    /// Binds to `endpoint` (`tcp://host:port`, `ipc://path`, `inproc://name`).
    public func bind(_ endpoint: String) throws(ZeroMQError) {
        try zmqCall("zmq_bind(\(endpoint))") { zmq_bind(handle, endpoint) }
    }

    /// Connects to `endpoint`; libzmq reconnects by itself when the peer goes away.
    public func connect(_ endpoint: String) throws(ZeroMQError) {
        try zmqCall("zmq_connect(\(endpoint))") { zmq_connect(handle, endpoint) }
    }

    /// Undoes a `bind`.
    public func unbind(_ endpoint: String) throws(ZeroMQError) {
        try zmqCall("zmq_unbind(\(endpoint))") { zmq_unbind(handle, endpoint) }
    }

    /// Undoes a `connect`.
    public func disconnect(_ endpoint: String) throws(ZeroMQError) {
        try zmqCall("zmq_disconnect(\(endpoint))") { zmq_disconnect(handle, endpoint) }
    }

    // MARK: Sending

    /// Sends one frame. With `more`, further frames of the same message follow.
    ///
    /// Returns `false` only when `dontWait` is set and the message could not be queued (`EAGAIN`).
    @discardableResult
    public func send(_ frame: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        var flags: Int32 = 0
        if more { flags |= ZMQ_SNDMORE }
        if dontWait { flags |= ZMQ_DONTWAIT }
        let handle = self.handle
        let result = frame.withUnsafeBytes { buffer -> Int32 in
            while true {
                let sent = zmq_send(handle, buffer.baseAddress, buffer.count, flags)
                if sent != -1 { return 0 }
                let code = zmq_errno()
                if code != EINTR { return code }
            }
        }
        if result == 0 { return true }
        if dontWait && result == EAGAIN { return false }
        throw ZeroMQError(errno: result, operation: "zmq_send(\(type))")
    }

    /// Sends one frame holding the UTF-8 bytes of `text`.
    @discardableResult
    public func send(_ text: String, more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        try send(Array(text.utf8), more: more, dontWait: dontWait)
    }

    /// Sends a multipart message. Returns `false` only when `dontWait` is set and the first frame
    /// could not be queued; once the first frame is queued libzmq queues the rest atomically.
    @discardableResult
    public func send(parts: [[UInt8]], dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        precondition(!parts.isEmpty, "a ZeroMQ message has at least one frame")
        for (index, part) in parts.enumerated() {
            let more = index < parts.count - 1
            let queued = try send(part, more: more, dontWait: dontWait && index == 0)
            if !queued { return false }
        }
        return true
    }

    // MARK: Receiving

    /// Receives one frame, whatever its size. Returns `nil` when `dontWait` is set and nothing is queued.
    public func receive(dontWait: Bool = false) throws(ZeroMQError) -> [UInt8]? {
        guard try receiveIntoMessage(dontWait: dontWait) else { return nil }
        return Array(messageBytes)
    }

    /// Receives every frame of the next message. Returns `nil` when `dontWait` is set and nothing is queued.
    public func receiveMultipart(dontWait: Bool = false) throws(ZeroMQError) -> [[UInt8]]? {
        var parts: [[UInt8]] = []
        guard try receiveFrames(dontWait: dontWait, { _, bytes in parts.append(Array(bytes)) }) != nil else { return nil }
        return parts
    }

    /// Receives the next message a frame at a time, lending each frame's bytes to `body` while libzmq
    /// holds them, so that nothing is copied: for a reader that parses a frame where it lies. Returns
    /// the number of frames, or `nil` when `dontWait` is set and nothing is queued.
    public func receiveFrames(
        dontWait: Bool = false, _ body: (_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Void
    ) throws(ZeroMQError) -> Int? {
        guard try receiveIntoMessage(dontWait: dontWait) else { return nil }
        var count = 0
        while true {
            body(count, messageBytes)
            count += 1
            guard zmq_msg_more(message) == 1 else { return count }
            // The rest of a multipart message arrives atomically with its first frame.
            _ = try receiveIntoMessage(dontWait: false)
        }
    }

    /// A message with what libzmq knows of the connection it came on.
    public struct Received {
        public let parts: [[UInt8]]
        /// The `User-Id` the connection was authenticated as (by the ZAP handler); `nil` without one.
        public let userID: String?
        /// The file descriptor of the connection (`ZMQ_SRCFD`), `-1` for a transport without one.
        public let sourceDescriptor: Int32
    }

    /// Receives every frame of the next message, with the `User-Id` its connection was authenticated
    /// as and the connection's descriptor. Returns `nil` when `dontWait` is set and nothing is queued.
    public func receiveMultipartWithPeer(dontWait: Bool = false) throws(ZeroMQError) -> Received? {
        var parts: [[UInt8]] = []
        var userID: String?
        var descriptor: Int32 = -1
        // Properties belong to the connection and are read while a frame is held. A ROUTER's own
        // routing-id frame carries none, so every frame is asked until one answers.
        let frames = try receiveFrames(dontWait: dontWait) { _, bytes in
            parts.append(Array(bytes))
            if userID == nil { userID = currentUserID() }
            if descriptor < 0 { descriptor = currentSourceDescriptor() }
        }
        guard frames != nil else { return nil }
        return Received(parts: parts, userID: userID, sourceDescriptor: descriptor)
    }

    /// The `User-Id` property of the frame just received, if it has a non-empty one.
    private func currentUserID() -> String? {
        guard let value = zmq_msg_gets(message, "User-Id") else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// The descriptor of the connection the frame just received came on, or -1.
    private func currentSourceDescriptor() -> Int32 {
        zmq_msg_get(message, ZMQ_SRCFD)
    }

    /// Moves the next whole message to `destination` if `admit` lets it through, else discards it:
    /// what a proxy that checks each sender does. `admit` sees the first frame, the connection's
    /// descriptor and a way to read its `User-Id`, while libzmq holds the frame.
    ///
    /// Returns the bytes moved (0 for a discarded message), or `nil` when `dontWait` is set and
    /// nothing is queued.
    public func forward(
        to destination: Socket, dontWait: Bool = false,
        admit: (_ firstFrame: UnsafeRawBufferPointer, _ descriptor: Int32, _ userID: () -> String?) -> Bool
    ) throws(ZeroMQError) -> Int? {
        guard try receiveIntoMessage(dontWait: dontWait) else { return nil }
        guard admit(messageBytes, currentSourceDescriptor(), { currentUserID() }) else {
            while zmq_msg_more(message) == 1 { _ = try receiveIntoMessage(dontWait: false) }
            return 0
        }
        return try forwardHeldMessage(to: destination)
    }

    /// Cuts one of this process's connections by its descriptor (`shutdown(2)`, not `close`): libzmq
    /// owns the descriptor, sees the connection end and closes it itself, as if the peer had left.
    public static func cutConnection(descriptor: Int32) {
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Moves the next whole message to `destination` without copying its frames: what a proxy does.
    ///
    /// Returns the number of bytes moved, or `nil` when `dontWait` is set and nothing is queued.
    public func forward(to destination: Socket, dontWait: Bool = false) throws(ZeroMQError) -> Int? {
        guard try receiveIntoMessage(dontWait: dontWait) else { return nil }
        return try forwardHeldMessage(to: destination)
    }

    /// Sends the frame held in the message buffer, and the rest of its message, to `destination`.
    private func forwardHeldMessage(to destination: Socket) throws(ZeroMQError) -> Int {
        var bytes = 0
        while true {
            bytes += zmq_msg_size(message)
            let more = zmq_msg_more(message) == 1
            // zmq_msg_send hands the content over and leaves the message empty, ready for reuse.
            while zmq_msg_send(message, destination.handle, more ? ZMQ_SNDMORE : 0) == -1 {
                let code = zmq_errno()
                if code == EINTR { continue }
                throw ZeroMQError(errno: code, operation: "zmq_msg_send(\(destination.type))")
            }
            if !more { return bytes }
            _ = try receiveIntoMessage(dontWait: false)  // the rest of a multipart message is already here
        }
    }

    /// Receives the next frame into the socket's message buffer; `false` when `dontWait` is set and
    /// nothing is queued.
    private func receiveIntoMessage(dontWait: Bool) throws(ZeroMQError) -> Bool {
        let flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
        while zmq_msg_recv(message, handle, flags) == -1 {
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN && dontWait { return false }
            throw ZeroMQError(errno: code, operation: "zmq_msg_recv(\(type))")
        }
        return true
    }

    /// The bytes of the frame held in the message buffer, valid until the next receive.
    private var messageBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message))
    }
}
