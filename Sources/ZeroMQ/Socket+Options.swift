import CZeroMQ

extension Socket {
    /// How long unsent messages are kept after close. `.zero` discards them; `nil` waits forever.
    public func setLinger(_ linger: Duration?) throws(ZeroMQError) {
        try setInt(ZMQ_LINGER, linger.map(Self.milliseconds) ?? -1, "ZMQ_LINGER")
    }

    /// The queue limit, in messages, for outgoing messages.
    public func setSendHighWaterMark(_ messages: Int32) throws(ZeroMQError) {
        try setInt(ZMQ_SNDHWM, messages, "ZMQ_SNDHWM")
    }

    /// The queue limit, in messages, for incoming messages.
    public func setReceiveHighWaterMark(_ messages: Int32) throws(ZeroMQError) {
        try setInt(ZMQ_RCVHWM, messages, "ZMQ_RCVHWM")
    }

    /// The largest inbound message libzmq accepts; a peer sending more is disconnected. `nil` is no limit.
    public func setMaximumMessageSize(_ bytes: Int64?) throws(ZeroMQError) {
        var value: Int64 = bytes ?? -1
        try setRaw(ZMQ_MAXMSGSIZE, &value, MemoryLayout<Int64>.size, "ZMQ_MAXMSGSIZE")
    }

    /// Subscribes a SUB socket to every topic starting with `prefix` (empty: everything).
    public func subscribe(_ prefix: String) throws(ZeroMQError) {
        try setBytes(ZMQ_SUBSCRIBE, Array(prefix.utf8), "ZMQ_SUBSCRIBE")
    }

    /// Removes a subscription made with `subscribe`.
    public func unsubscribe(_ prefix: String) throws(ZeroMQError) {
        try setBytes(ZMQ_UNSUBSCRIBE, Array(prefix.utf8), "ZMQ_UNSUBSCRIBE")
    }

    /// The identity a ROUTER peer sees for this socket.
    public func setRoutingId(_ id: [UInt8]) throws(ZeroMQError) {
        try setBytes(ZMQ_ROUTING_ID, id, "ZMQ_ROUTING_ID")
    }

    /// ZMTP heartbeats: a PING every `interval`, the connection dropped when nothing arrives within
    /// `timeout`, and `ttl` telling the peer how long to wait for us.
    public func setHeartbeat(interval: Duration, timeout: Duration, ttl: Duration? = nil) throws(ZeroMQError) {
        try setInt(ZMQ_HEARTBEAT_IVL, Self.milliseconds(interval), "ZMQ_HEARTBEAT_IVL")
        try setInt(ZMQ_HEARTBEAT_TIMEOUT, Self.milliseconds(timeout), "ZMQ_HEARTBEAT_TIMEOUT")
        if let ttl {
            try setInt(ZMQ_HEARTBEAT_TTL, Self.milliseconds(ttl), "ZMQ_HEARTBEAT_TTL")
        }
    }

    /// How long a blocking receive waits before failing with `EAGAIN`; `nil` waits forever.
    public func setReceiveTimeout(_ timeout: Duration?) throws(ZeroMQError) {
        try setInt(ZMQ_RCVTIMEO, timeout.map(Self.milliseconds) ?? -1, "ZMQ_RCVTIMEO")
    }

    /// How long a blocking send waits before failing with `EAGAIN`; `nil` waits forever.
    public func setSendTimeout(_ timeout: Duration?) throws(ZeroMQError) {
        try setInt(ZMQ_SNDTIMEO, timeout.map(Self.milliseconds) ?? -1, "ZMQ_SNDTIMEO")
    }

    /// Queue messages only to completed connections, so that a send to a dead peer fails fast.
    public func setImmediate(_ on: Bool) throws(ZeroMQError) {
        try setInt(ZMQ_IMMEDIATE, on ? 1 : 0, "ZMQ_IMMEDIATE")
    }

    /// XPUB: pass every subscription and unsubscription upstream, not only the first and last.
    public func setXPubVerbose(_ on: Bool) throws(ZeroMQError) {
        try setInt(ZMQ_XPUB_VERBOSE, on ? 1 : 0, "ZMQ_XPUB_VERBOSE")
    }

    /// XPUB: pass every subscription and every unsubscription upstream.
    public func setXPubVerboser(_ on: Bool) throws(ZeroMQError) {
        try setInt(ZMQ_XPUB_VERBOSER, on ? 1 : 0, "ZMQ_XPUB_VERBOSER")
    }

    /// XPUB: fail a send with `EAGAIN` at the high-water mark instead of dropping the message.
    public func setXPubNoDrop(_ on: Bool) throws(ZeroMQError) {
        try setInt(ZMQ_XPUB_NODROP, on ? 1 : 0, "ZMQ_XPUB_NODROP")
    }

    /// ROUTER: fail a send to an unknown peer with `EHOSTUNREACH` instead of dropping it.
    public func setRouterMandatory(_ on: Bool) throws(ZeroMQError) {
        try setInt(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, "ZMQ_ROUTER_MANDATORY")
    }

    /// REQ: allow a new request after a lost reply instead of blocking forever.
    public func setRequestRelaxed(_ on: Bool) throws(ZeroMQError) {
        try setInt(ZMQ_REQ_RELAXED, on ? 1 : 0, "ZMQ_REQ_RELAXED")
        try setInt(ZMQ_REQ_CORRELATE, on ? 1 : 0, "ZMQ_REQ_CORRELATE")
    }

    /// The endpoint this socket last bound or connected to, with a wildcard port resolved.
    public func lastEndpoint() throws(ZeroMQError) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        let handle = self.handle
        try zmqCall("zmq_getsockopt(ZMQ_LAST_ENDPOINT)") {
            buffer.withUnsafeMutableBytes { zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, $0.baseAddress, &size) }
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: CURVE

    /// Makes this socket a CURVE server with `secretKey` (Z85, 40 characters).
    public func setCurveServer(secretKey: String) throws(ZeroMQError) {
        try setInt(ZMQ_CURVE_SERVER, 1, "ZMQ_CURVE_SERVER")
        try setBytes(ZMQ_CURVE_SECRETKEY, Array(secretKey.utf8), "ZMQ_CURVE_SECRETKEY")
    }

    /// Makes this socket a CURVE client of the server whose public key is `serverKey`.
    public func setCurveClient(keyPair: CurveKeyPair, serverKey: String) throws(ZeroMQError) {
        try setBytes(ZMQ_CURVE_SERVERKEY, Array(serverKey.utf8), "ZMQ_CURVE_SERVERKEY")
        try setBytes(ZMQ_CURVE_PUBLICKEY, Array(keyPair.publicKey.utf8), "ZMQ_CURVE_PUBLICKEY")
        try setBytes(ZMQ_CURVE_SECRETKEY, Array(keyPair.secretKey.utf8), "ZMQ_CURVE_SECRETKEY")
    }

    /// The ZAP domain this socket's connections are authenticated in.
    public func setZapDomain(_ domain: String) throws(ZeroMQError) {
        try setBytes(ZMQ_ZAP_DOMAIN, Array(domain.utf8), "ZMQ_ZAP_DOMAIN")
    }

    // MARK: Plumbing

    /// `duration` in the whole milliseconds libzmq counts, a positive remainder rounded up: a wait of
    /// less than a millisecond becomes one, not zero, which would mean "do not wait" and make a
    /// polling loop spin.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        var millis = seconds * 1000 + attoseconds / perMillisecond
        if attoseconds % perMillisecond > 0 { millis += 1 }
        return Int32(clamping: millis)
    }

    func setInt(_ option: Int32, _ value: Int32, _ name: String) throws(ZeroMQError) {
        var value = value
        try setRaw(option, &value, MemoryLayout<Int32>.size, name)
    }

    func setBytes(_ option: Int32, _ value: [UInt8], _ name: String) throws(ZeroMQError) {
        let handle = self.handle
        try zmqCall("zmq_setsockopt(\(name))") {
            value.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        }
    }

    func setRaw(_ option: Int32, _ value: UnsafeRawPointer, _ size: Int, _ name: String) throws(ZeroMQError) {
        try zmqCall("zmq_setsockopt(\(name))") { zmq_setsockopt(handle, option, value, size) }
    }
}
