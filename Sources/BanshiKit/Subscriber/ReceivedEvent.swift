/// An event as a durable subscriber received it: the envelope, decoded and checked, its JSON text
/// exactly as the source published it (a bus frame, or an element of an `events.since` page), and the
/// followed service it came from.
public struct ReceivedEvent: Sendable {
    public var envelope: EventEnvelope
    /// The envelope's JSON text as it arrived. A consumer that keeps whole envelopes stores these
    /// bytes: serializing the envelope again cost reporting's writer a twentieth of a catch-up.
    public var encoded: [UInt8]
    /// The followed service that published it (`children`): named by the subscriber, which has
    /// matched the envelope's `source` to it, before any consumer sees the event.
    public internal(set) var source: String

    init(envelope: EventEnvelope, encoded: [UInt8], source: String = "") {
        self.envelope = envelope
        self.encoded = encoded
        self.source = source
    }
}
