/// What one service holds of requests received and not yet answered, bounded per peer, in number and in
/// bytes, so that a client that floods the control socket (or sends large requests without reading the
/// replies) neither grows the process without bound nor keeps every other client waiting behind it.
///
/// The socket thread asks `admit` for each request it reads; past a bound the request is answered
/// `unavailable` at once and dropped. Each reply the dispatcher queues releases one request of its peer.
/// The dispatcher serves requests in the order received, so at most `perPeer` requests of one client
/// stand before another client's.
public struct RequestBudget: Sendable {
    public struct Limits: Sendable {
        /// Requests of one peer (one connection) received and not yet answered.
        public var perPeer: Int
        /// Requests of all peers received and not yet answered.
        public var total: Int
        /// Bytes of those requests; one request is always admitted when nothing else is held.
        public var bytes: Int

        public init(perPeer: Int, total: Int, bytes: Int) {
            self.perPeer = perPeer
            self.total = total
            self.bytes = bytes
        }
    }

    enum Refusal: String {
        case peer = "this connection has too many requests in flight"
        case total = "the service has too many requests in flight"
        case bytes = "the service holds too many request bytes"
    }

    let limits: Limits
    /// Per peer (its routing id), the sizes of its requests in flight, oldest first.
    private var held: [[UInt8]: [Int]] = [:]
    private(set) var total = 0
    private(set) var bytes = 0
    /// Requests refused since the start.
    private(set) var refused: Int64 = 0

    init(_ limits: Limits) { self.limits = limits }

    /// Takes a request of `size` bytes from `peer` in, or says why not.
    mutating func admit(peer: [UInt8], size: Int) -> Refusal? {
        let refusal: Refusal? =
            held[peer, default: []].count >= limits.perPeer ? .peer
            : total >= limits.total ? .total
            : total > 0 && bytes + size > limits.bytes ? .bytes : nil
        if refusal != nil {
            refused += 1
            return refusal
        }
        held[peer, default: []].append(size)
        total += 1
        bytes += size
        return nil
    }

    /// A reply to `peer` left: its oldest request is no longer held.
    mutating func release(peer: [UInt8]) {
        guard var sizes = held[peer], !sizes.isEmpty else { return }
        let size = sizes.removeFirst()
        held[peer] = sizes.isEmpty ? nil : sizes
        total -= 1
        bytes -= size
    }
}
