import CZeroMQ

/// libzmq's built-in proxy between two sockets.
public enum Proxy {
    /// Forwards messages between `frontend` and `backend` (and copies each to `capture`, if given)
    /// until the context is shut down, which ends it with a `terminated` error.
    ///
    /// `control` makes the proxy steerable: a `PAUSE`, `RESUME` or `TERMINATE` frame sent to it
    /// changes the proxy's state; `TERMINATE` returns normally.
    public static func run(
        frontend: Socket, backend: Socket, capture: Socket? = nil, control: Socket? = nil
    ) throws(ZeroMQError) {
        try zmqCall("zmq_proxy_steerable") {
            zmq_proxy_steerable(frontend.handle, backend.handle, capture?.handle, control?.handle)
        }
    }
}
