import SQLite

/// One kind of deadline a program keeps, as data: the table of its records, the column that says
/// when each is due, which records are still open, how an announcement is remembered, and the event
/// that announces a missed one. `Deadline.scan` turns a program's list into its `deadlines.scan`.
///
/// Each announcement is remembered on the record in the same transaction as its event, so a second
/// scan, a retried scan, or the timer and an admin scanning together never announce it twice.
public struct Deadline: Sendable {
    /// What the due column holds, and so what "now" it is compared with.
    public enum Clock: Sendable {
        /// An RFC 3339 time in the one fixed-width form the service writes (text order is time order).
        case time
        /// A calendar day, `YYYY-MM-DD`: due *on* that day, missed from the next.
        case day
    }

    /// How a record remembers that its missed deadline was announced.
    public enum Memory: Sendable {
        /// A 0/1 column set to 1: announced once for good.
        case flag(String)
        /// A column that holds the due value announced: a record whose deadline moves (the next
        /// monthly follow-up) is announced once per due value.
        case dueValue(String)
    }

    /// The key of this deadline in `deadlines.scan`'s reply (`intervention`, `procedural_reply`).
    public let name: String
    public let table: String
    public let due: String
    public let clock: Clock
    /// An SQL condition on the record: it is still waiting for what the deadline is about.
    public let open: String
    public let memory: Memory
    /// The event type that announces a missed deadline.
    public let event: String
    /// The event's subject: this prefix and the record's id (`case/`).
    public let subjectPrefix: String
    /// The event's data: each member from a text column of the record (`("case_id", "id")`).
    public let data: [(member: String, column: String)]
    /// What else an announcement changes on the record, in the same transaction (given the scan's day).
    public let alsoOnAnnounce: (@Sendable (Database, Row, CalendarDate) throws -> Void)?

    public init(
        _ name: String, table: String, due: String, clock: Clock, open: String, memory: Memory, event: String,
        subject subjectPrefix: String, data: [(member: String, column: String)],
        alsoOnAnnounce: (@Sendable (Database, Row, CalendarDate) throws -> Void)? = nil
    ) {
        self.name = name
        self.table = table
        self.due = due
        self.clock = clock
        self.open = open
        self.memory = memory
        self.event = event
        self.subjectPrefix = subjectPrefix
        self.data = data
        self.alsoOnAnnounce = alsoOnAnnounce
    }

    /// The open records whose deadline passed before `now` and was not announced for this due value.
    /// Every identifier is the program's own constant, never input.
    var missedSQL: String {
        let columns = (["id", due] + data.map(\.column)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let unannounced =
            switch memory {
            case .flag(let column): "\(column) = 0"
            case .dueValue(let column): "(\(column) IS NULL OR \(column) <> \(due))"
            }
        return """
            SELECT \(columns.joined(separator: ", ")) FROM \(table)
            WHERE (\(open)) AND \(due) IS NOT NULL AND \(unannounced) AND \(due) < ?
            ORDER BY \(due), id
            """
    }

    var announceSQL: String {
        switch memory {
        case .flag(let column): "UPDATE \(table) SET \(column) = 1 WHERE id = ?"
        case .dueValue(let column): "UPDATE \(table) SET \(column) = \(due) WHERE id = ?"
        }
    }

    /// `deadlines.scan` for `deadlines`: emits every missed deadline not yet announced, each once.
    /// The service runs it on itself every `scan_interval_ms` (`ProgramKit`).
    public static func scan(_ deadlines: [Deadline], summary: String) -> CommandSpec {
        CommandSpec(
            "deadlines.scan", "\(summary) (also runs on a timer)"
        ) { context, events in
            let now = Timestamp.format(context.now)
            let day = CalendarDate(context.now)
            let today = day.description
            var counts: [String: JSONValue] = [:]
            for deadline in deadlines {
                let count = try events.sweep(
                    deadline.missedSQL, [deadline.clock == .time ? now : today],
                    mark: { db, row in
                        try db.execute(sql: deadline.announceSQL, arguments: [row["id"] as String])
                        try deadline.alsoOnAnnounce?(db, row, day)
                    }
                ) { row in
                    var data: [String: JSONValue] = [:]
                    // A column without a value leaves its member out (an optional field of the event).
                    for (member, column) in deadline.data { if let value = row[column] as String? { data[member] = .string(value) } }
                    return OverdueEvent(deadline.event, subject: deadline.subjectPrefix + (row["id"] as String), data: .object(data))
                }
                counts[deadline.name] = .int(Int64(count))
            }
            return ["now": .string(now), "today": .string(today), "emitted": .object(counts)]
        }
    }
}
