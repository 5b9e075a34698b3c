import CZeroMQ

/// A libzmq context: the owner of I/O threads and the namespace of `inproc://` endpoints.
///
/// libzmq documents the context as thread-safe, which is why this class may cross threads even
/// though the raw handle is a pointer: the pointer is private and only handed to libzmq functions
/// that are themselves thread-safe (`zmq_socket`, `zmq_ctx_shutdown`, `zmq_ctx_term`).
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads.
    public init(ioThreads: Int32 = 1) throws(ZeroMQError) {
        guard let handle = zmq_ctx_new() else {
            throw ZeroMQError(errno: zmq_errno(), operation: "zmq_ctx_new")
        }
        self.handle = handle
        try zmqCall("zmq_ctx_set(ZMQ_IO_THREADS)") { zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) }
    }

    /// Makes every blocking call on this context's sockets return `ETERM`, so that their owning
    /// threads can notice shutdown. Sockets must still be closed by their owners.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        // Every socket holds a strong reference to its context, so by now all of them are closed
        // and zmq_ctx_term cannot block on an open socket.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}
