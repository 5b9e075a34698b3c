import SQLite

/// Appends events to the service's event log inside the command's write transaction.
///
/// Because it only exists inside a transaction, an event can never be logged without its state
/// change or the other way round. The events it collected are published after the commit.
public struct EventAppender {
    /// The open write transaction.
    public let db: Database
    let service: String
    let now: Timestamp
    let causationid: String?
    let correlationid: String?
    private var nextSeq: Int64
    /// The `seq` of the last event appended, 0 before the first.
    public private(set) var lastSeq: Int64 = 0
    /// The log's last seq with this appender's events.
    var logEnd: Int64 { nextSeq - 1 }
    /// The wire frames of the events appended, encoded once for the log and reused by the relay.
    private(set) var frames: [[[UInt8]]] = []
    /// `now` as RFC 3339 text: one per command, however many events it appends.
    private let time: String
    /// The last topic validated, and its frame, since a command usually emits one type many times.
    private var lastTopic: (type: String, frame: [UInt8])?
    /// `/banshi/<service>`.
    private let source: String
    /// The service's event contract; every event is checked against it when there is one.
    private let catalog: EventCatalog?
    /// The event log's insert, looked up once for the command rather than once per event.
    private let insertStatement: Statement
    /// The data member that keys the service's timelines, and the timeline's insert.
    private let timeline: (member: String, statement: Statement)?

    /// `logEnd`: the log's last seq when the caller knows it (group commit carries it from one command
    /// to the next); read from the log otherwise.
    init(
        db: Database, service: String, now: Timestamp, causationid: String?, correlationid: String?, catalog: EventCatalog? = nil,
        logEnd: Int64? = nil
    ) throws {
        self.db = db
        self.catalog = catalog
        self.service = service
        self.now = now
        self.causationid = causationid
        self.correlationid = correlationid
        self.nextSeq = try (logEnd ?? EventLog.lastSeq(db)) + 1
        self.insertStatement = try EventLog.insertStatement(db)
        self.timeline = try catalog?.timeline.map { ($0, try EventTimeline.insertStatement(db)) }
        self.time = Timestamp.format(now)
        self.source = EventEnvelope.source(of: service)
    }

    /// Appends one event. `correlationid` defaults to the request's flow, or the event's own id;
    /// `causationid` to the request's id (pass the event that caused it when that is more precise).
    @discardableResult
    public mutating func emit(
        _ type: String, subject: String? = nil, data: JSONValue = [:], correlationid: String? = nil, causationid: String? = nil
    ) throws -> EventEnvelope {
        let topic: (type: String, frame: [UInt8])
        if let lastTopic, lastTopic.type == type {
            topic = lastTopic
        } else {
            // Checked in place: building a `Topic` (three strings) for each command's first event was
            // a twentieth of a short command's time. The full check runs only to say what is wrong.
            if !Topic.isValid(type) { _ = try Topic(type) }
            precondition(
                type.utf8.starts(with: service.utf8) && type.utf8.dropFirst(service.utf8.count).first == UInt8(ascii: "."),
                "service \(service) may only emit its own topics, not \(type)")
            topic = (type, Array(type.utf8))
            lastTopic = topic
        }
        try catalog?.check(type, data: data)
        let envelope = EventEnvelope(
            id: EventID.next(), source: source, type: topic.type, time: time, subject: subject, data: data, seq: nextSeq,
            correlationid: correlationid ?? self.correlationid, causationid: causationid ?? self.causationid)
        let bytes = envelope.serializedBytes()
        try EventLog.insert(seq: envelope.seq, bytes: bytes, db: db, statement: insertStatement)
        if let timeline {
            try EventTimeline.insert(seq: envelope.seq, data: data, member: timeline.member, db: db, statement: timeline.statement)
        }
        lastSeq = nextSeq
        nextSeq += 1
        frames.append([topic.frame, bytes])
        return envelope
    }
}

/// What a deadline sweep emits for one missed deadline.
public struct OverdueEvent {
    public let type: String
    public let subject: String
    public let data: JSONValue

    public init(_ type: String, subject: String, data: JSONValue) {
        self.type = type
        self.subject = subject
        self.data = data
    }
}

extension EventAppender {
    /// Emits one event for each row `select` finds (the deadlines missed and not yet announced), and
    /// has `mark` record on the row, in the same transaction, that it was announced: so a deadline is
    /// announced once, however often and by whomever the sweep runs. Returns how many it announced.
    public mutating func sweep(
        _ select: String, _ arguments: StatementArguments, mark: (Database, Row) throws -> Void, event: (Row) -> OverdueEvent
    ) throws -> Int {
        let rows = try Row.fetchAll(db, sql: select, arguments: arguments)
        for row in rows {
            try mark(db, row)
            let overdue = event(row)
            try emit(overdue.type, subject: overdue.subject, data: overdue.data)
        }
        return rows.count
    }
}
