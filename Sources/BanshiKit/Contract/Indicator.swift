import Foundation

/// What one event says about one indicator: in `period` ("2026", or "*" for every year), `entity`
/// counts (is in the denominator, or is counted) and/or meets the indicator (is in the numerator).
public struct Fact: Sendable, Equatable {
    public let period: String
    public let entity: String
    public let counted: Bool
    public let met: Bool

    public init(period: String, entity: String, counted: Bool = false, met: Bool = false) {
        self.period = period
        self.entity = entity
        self.counted = counted
        self.met = met
    }

    /// The year of an RFC 3339 time or a `YYYY-MM-DD` day, in China Standard Time.
    public static func year(_ text: String?) -> String {
        guard let text else { return "*" }
        if let day = CalendarDate(text) { return String(day.year) }
        if let time = Timestamp.parse(text) { return String(CalendarDate(time).year) }
        return "*"
    }
}

/// One indicator of one program, computed from events against a target in `config/targets.toml`.
///
/// An indicator is a few lines: which event types it reads, and the facts each event establishes.
/// A `rate` is (entities counted and met) / (entities counted) over the periods in range; a `count`
/// is the entities counted, up to the end of the range when `cumulative` (centres opened so far), or
/// within it.
public struct Indicator: Sendable {
    public enum Kind: String, Sendable {
        case rate, count
    }

    public let id: String
    public let program: String
    public let title: String
    public let explanation: String
    public let kind: Kind
    public let cumulative: Bool
    /// The target is a ceiling, not a floor: a count that should stay at or under it (overdue tasks
    /// without follow-up: target 0).
    public let ceiling: Bool
    public let reads: Set<String>
    public let facts: @Sendable (EventEnvelope) -> [Fact]

    public init(
        _ id: String, program: String, title: String, explanation: String, kind: Kind, cumulative: Bool = false, ceiling: Bool = false,
        reads: Set<String>, facts: @escaping @Sendable (EventEnvelope) -> [Fact]
    ) {
        self.ceiling = ceiling
        self.id = id
        self.program = program
        self.title = title
        self.explanation = explanation
        self.kind = kind
        self.cumulative = cumulative
        self.reads = reads
        self.facts = facts
    }
}

extension EventEnvelope {
    /// A string field of `data`.
    public func text(_ key: String) -> String? { data[key]?.stringValue }
    /// A boolean field of `data` (absent is false).
    public func flag(_ key: String) -> Bool { data[key]?.boolValue ?? false }
    /// The year the event was recorded, in China Standard Time (the service's clock).
    public var year: String { Fact.year(time) }
    /// The year of the domain day in `field` (when the thing happened, which a test or a late entry may
    /// set apart from when it was recorded), or of the event's time for events logged before the field.
    public func day(_ field: String) -> String { text(field).map { Fact.year($0) } ?? year }
}
