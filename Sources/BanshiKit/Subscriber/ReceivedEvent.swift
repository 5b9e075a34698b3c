/// An event as a durable subscriber received it: the envelope, decoded and checked, and its JSON text
/// exactly as the source published it (a bus frame, or an element of an `events.since` page).
public struct ReceivedEvent: Sendable {
    public var envelope: EventEnvelope
    /// The envelope's JSON text as it arrived. A consumer that keeps whole envelopes stores these
    /// bytes: serializing the envelope again cost reporting's writer a twentieth of a catch-up.
    public var encoded: [UInt8]

    public init(envelope: EventEnvelope, encoded: [UInt8]) {
        self.envelope = envelope
        self.encoded = encoded
    }
}
