import BanshiKit

/// A field of an event, as rules name it: `data.case_id`, `data.a.b`, or an envelope attribute
/// (`id`, `type`, `source`, `subject`, `time`, `seq`, `correlationid`, `causationid`).
public struct EventPath: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let parts: [String]

    static let envelopeFields: Set<String> = ["id", "type", "source", "subject", "time", "seq", "correlationid", "causationid"]

    /// Checks the path's shape; `nil` when it names nothing an event has.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !parts.contains(where: \.isEmpty) else { return nil }
        if first == "data" {
            guard parts.count >= 2 else { return nil }
        } else {
            guard parts.count == 1, Self.envelopeFields.contains(first) else { return nil }
        }
        self.text = text
        self.parts = parts
    }

    /// The value at this path in `event`, or `nil` when absent (or JSON null).
    public func value(in event: EventEnvelope) -> JSONValue? {
        let found: JSONValue?
        switch parts[0] {
        case "data": found = parts.dropFirst().reduce(Optional(event.data)) { value, key in value?[key] }
        case "id": found = .string(event.id)
        case "type": found = .string(event.type)
        case "source": found = .string(event.source)
        case "subject": found = event.subject.map { .string($0) }
        case "time": found = .string(event.time)
        case "seq": found = .int(event.seq)
        case "correlationid": found = .string(event.correlationid)
        case "causationid": found = event.causationid.map { .string($0) }
        default: found = nil
        }
        return found == .null ? nil : found
    }

    public var description: String { text }
}
