/// What one event says about one indicator: on the day `period` ("2026-03-15", or "*" for any day),
/// `entity` counts (is in the denominator, or is counted) and/or meets the indicator (is in the
/// numerator). `settled: false` marks an entity whose outcome is still open (a case whose deadline has
/// not passed): a rate leaves it out, as pending, until a fact settles it (met, or missed).
public struct Fact: Sendable, Equatable {
    public let period: String
    public let entity: String
    public let counted: Bool
    public let met: Bool
    public let settled: Bool

    public init(period: String, entity: String, counted: Bool = false, met: Bool = false, settled: Bool = true) {
        self.period = period
        self.entity = entity
        self.counted = counted
        self.met = met
        self.settled = settled
    }

    /// The day (`YYYY-MM-DD`, China Standard Time) of an RFC 3339 time or a day; `*` when there is none.
    public static func day(_ text: String?) -> String {
        guard let text else { return "*" }
        // A day already: as `CalendarDate.description` would write it, since only `YYYY-MM-DD` parses.
        if CalendarDate(text) != nil { return text }
        if let time = Timestamp.parse(text) { return CalendarDate(time).description }
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
    /// The report names the entities counted that do not meet it (the procuratorates that granted no
    /// aid: the blank spots themselves).
    public let namesUnmet: Bool
    public let reads: Set<String>
    public let facts: @Sendable (EventEnvelope) -> [Fact]

    public init(
        _ id: String, program: String, title: String, explanation: String, kind: Kind, cumulative: Bool = false, ceiling: Bool = false,
        namesUnmet: Bool = false, reads: Set<String>, facts: @escaping @Sendable (EventEnvelope) -> [Fact]
    ) {
        self.ceiling = ceiling
        self.namesUnmet = namesUnmet
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
    /// The day the event was recorded, in China Standard Time (the service's clock).
    public var recordedDay: String { Fact.day(time) }
    /// The domain day in `field` (when the thing happened, which a test or a late entry may set apart
    /// from when it was recorded), or the event's day for events logged before the field.
    public func day(_ field: String) -> String { text(field).map { Fact.day($0) } ?? recordedDay }
}
