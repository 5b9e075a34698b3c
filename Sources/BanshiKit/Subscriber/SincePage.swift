/// An `events.since` reply read into envelopes: catch-up reads up to 5,000 events a page, so this
/// path uses the byte-level JSON parser and builds each envelope from the parsed tree directly.
struct SincePage {
    let events: [EventEnvelope]
    let lastSeq: Int64
    let hasMore: Bool

    /// Reads a reply frame; throws the service's own error when it refused.
    static func decode(_ bytes: [UInt8]) throws -> SincePage {
        let reply = try CommandReply.parse(bytes)
        let result = try reply.get()
        guard let events = result["events"]?.arrayValue, let lastSeq = result["last_seq"]?.intValue,
            let hasMore = result["has_more"]?.boolValue
        else {
            throw CommandError(.internal, "an events.since reply without events, last_seq or has_more")
        }
        return SincePage(events: try events.map { value throws(EnvelopeError) in try EventEnvelope(json: value) }, lastSeq: lastSeq, hasMore: hasMore)
    }
}
