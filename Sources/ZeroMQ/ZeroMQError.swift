import CZeroMQ
import Glibc

/// A failed libzmq call: which operation failed and the `errno` it reported.
///
/// `again` and `terminated` are singled out because callers act on them: `again` means "nothing to do
/// right now" on a non-blocking call, `terminated` means the context is shutting down and the owning
/// loop should close its sockets and leave.
public struct ZeroMQError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `errno` value libzmq reported.
    public let errno: Int32
    /// The libzmq operation that failed, e.g. `zmq_bind(tcp://127.0.0.1:7100)`.
    public let operation: String

    public init(errno: Int32, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    /// The call would have blocked (`EAGAIN`).
    public var isAgain: Bool { errno == EAGAIN }
    /// The socket's context was terminated (`ETERM`).
    public var isTerminated: Bool { errno == ETERM }

    public var description: String {
        let text = String(cString: zmq_strerror(errno))
        return "\(operation) failed: \(text) (errno \(errno))"
    }
}

/// Runs one libzmq call, retrying on `EINTR`, and turns a `-1` result into a `ZeroMQError`.
///
/// Every call into libzmq that can fail goes through here, so that signal interruptions are handled
/// once and every error names its operation.
@inline(__always)
@discardableResult
func zmqCall(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws(ZeroMQError) -> Int32 {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = zmq_errno()
        if code == EINTR { continue }
        throw ZeroMQError(errno: code, operation: operation())
    }
}
