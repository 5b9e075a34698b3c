import Logging
import ZeroMQ

/// The authenticated connections one socket thread has heard from, by descriptor, so that a key taken
/// off the allow-list loses its open connections at once instead of keeping them until they drop.
///
/// ZAP runs only at the handshake; after that libzmq never asks again. So every socket thread that
/// serves CURVE peers notes each connection's descriptor and key as messages arrive, forgets it when
/// its monitor reports the disconnect, and after each reload of the allow-list cuts (`shutdown(2)`)
/// the connections whose key is gone. The peer reconnects, and ZAP refuses it. Owned by its thread.
public struct PeerConnections {
    /// The key name (ZAP `User-Id`) each connection was admitted as.
    public private(set) var keys: [Int32: String] = [:]
    private var generation: Int
    /// The allow-list is looked at (a `stat`) at most this often, however busy the socket.
    private var nextCheck = ContinuousClock.now
    private let store: KeyRingStore
    private let socketName: String
    private let logger: Logger

    public init(store: KeyRingStore, socketName: String, logger: Logger) {
        self.store = store
        self.socketName = socketName
        self.logger = logger
        generation = store.current.generation
    }

    /// Records that a message came on `descriptor` from key `key`.
    public mutating func note(_ descriptor: Int32, key: String?) {
        guard descriptor >= 0, let key, keys[descriptor] != key else { return }
        keys[descriptor] = key
    }

    /// Whether `descriptor` is already known (so that its `User-Id` need not be read again).
    public func knows(_ descriptor: Int32) -> Bool { keys[descriptor] != nil }

    /// The key `descriptor` was admitted as.
    public func key(of descriptor: Int32) -> String? { keys[descriptor] }

    /// Drops what a monitor reports as disconnected.
    public mutating func forget(_ event: MonitorEvent) {
        if event.kind == .disconnected || event.kind == .closed { keys[Int32(bitPattern: event.value)] = nil }
    }

    /// If the allow-list changed since the last look, cuts every connection whose key is no longer on
    /// it. Returns the new list when it changed, so that a caller can refresh what it derived from it.
    @discardableResult
    public mutating func cutRevoked() -> KeyRing? {
        let now = ContinuousClock.now
        guard now >= nextCheck else { return nil }
        nextCheck = now + .milliseconds(100)
        let (ring, current) = store.current
        guard current != generation else { return nil }
        generation = current
        for (descriptor, key) in keys where ring.entry(named: key) == nil {
            Socket.cutConnection(descriptor: descriptor)
            keys[descriptor] = nil
            logger.warning("connection cut: key revoked", metadata: ["socket": "\(socketName)", "key": "\(key)"])
        }
        return ring
    }
}
