import BanshiKit
import Logging
import ZeroMQ

/// The bus's rule that a publisher publishes only as itself: an event passes only when its topic
/// starts with `<service>.`, where the service is the one the connection's key is bound to in the
/// allow-list. Subscribers check in turn that an event's `source` and `type` agree with its topic,
/// so together no key can put an event on the bus in another service's name.
///
/// Only the topic frame is read here (the envelope is moved on untouched): checking the topic costs
/// a prefix comparison per event, where parsing every envelope would cost the bus its throughput.
/// Owned by the proxy's thread.
struct PublisherCheck {
    private var connections: PeerConnections
    /// Per connection, the topic prefix its events must carry (`children.`); empty: it may publish nothing.
    private var prefixes: [Int32: [UInt8]] = [:]
    private var ring: KeyRing
    private let logger: Logger
    private(set) var refused: Int64 = 0

    init(store: KeyRingStore, logger: Logger) {
        connections = PeerConnections(store: store, socketName: "publish", logger: logger)
        ring = store.ring
        self.logger = logger
    }

    /// Whether the event whose topic is `topic`, from connection `descriptor`, may pass.
    mutating func admit(topic: UnsafeRawBufferPointer, descriptor: Int32, userID: () -> String?) -> Bool {
        let prefix: [UInt8]
        if let known = prefixes[descriptor] {
            prefix = known
        } else {
            let key = userID()
            connections.note(descriptor, key: key)
            prefix = key.flatMap { ring.entry(named: $0)?.publishesAs }.map { Array("\($0).".utf8) } ?? []
            if descriptor >= 0 { prefixes[descriptor] = prefix }
        }
        if !prefix.isEmpty && topic.starts(with: prefix) { return true }
        refused += 1
        if refused <= 10 || refused % 1000 == 0 {
            logger.warning(
                "event refused: a publisher may publish only as its own service",
                metadata: [
                    "key": "\(connections.key(of: descriptor) ?? "?")", "topic": "\(String(decoding: topic.prefix(200), as: UTF8.self))",
                    "may_publish": "\(prefix.isEmpty ? "nothing" : String(decoding: prefix, as: UTF8.self) + "*")",
                    "refused_total": "\(refused)",
                ])
        }
        return false
    }

    /// Forgets a connection its monitor reports gone.
    mutating func forget(_ event: MonitorEvent) {
        connections.forget(event)
        if event.kind == .disconnected || event.kind == .closed { prefixes[Int32(bitPattern: event.value)] = nil }
    }

    /// Cuts revoked keys' connections; after a reload, every connection's binding is looked up again.
    mutating func cutRevoked() {
        guard let ring = connections.cutRevoked() else { return }
        self.ring = ring
        prefixes.removeAll()
    }
}
