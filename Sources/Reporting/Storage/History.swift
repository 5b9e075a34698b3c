import BanshiKit
import Coordinator
import SQLite

/// The event history: appended by the durable subscriber, read by queries, traces and reports.
enum History {
    /// Stores `events` and applies their indicator facts, in the subscriber's transaction.
    static func append(_ db: Database, _ events: [ReceivedEvent]) throws {
        // Bound through SQLite's C API, the statements looked up once: this runs for every event of a
        // catch-up. The envelope is stored as its source published it, not serialized again.
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO history (source, seq, id, type, subject, time, correlation_id, causation_id, envelope)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var facts = try FactStore.Writer(db)
        try events.withUnsafeBufferPointer { events in
            for index in events.indices {
                // Each member read through the buffer: a local copy of the event costs a retain and
                // a release of every string it holds.
                try db.executeBound(insert, [
                    .text(events[index].source), .int(events[index].envelope.seq),
                    .text(events[index].envelope.id), .text(events[index].envelope.type), .optional(events[index].envelope.subject),
                    .text(events[index].envelope.time), .text(events[index].envelope.correlationid),
                    .optional(events[index].envelope.causationid), .utf8(events[index].encoded),
                ])
                try facts.apply(db, events[index].envelope)
            }
        }
    }

    /// The kinds of record the programs' and the coordinator's events name as subjects (`case` of
    /// `case/{case_id}`, `delivery` of `delivery/{delivery_id}`).
    static let subjectKinds: [String] = Array(
        Set((ProgramIndicators.programs.map(\.catalog) + [CoordinatorEvents.catalog]).flatMap { catalog in
            catalog.events.compactMap { event in event.subject.firstIndex(of: "/").map { String(event.subject[..<$0]) } }
        })
    ).sorted()

    /// Events matching every filter given, in time order (then source, seq). `record` is a record's id
    /// whatever its kind: the events whose subject is `<kind>/<record>` for a kind in `subjectKinds`.
    ///
    /// `seq` is a position in `source`'s log (by `UNIQUE (source, seq)`). `id` is an event's id: the
    /// history keeps no index on it, so it is looked for within a minute either side of the time the
    /// id begins with (`EventID`; an event's time is taken in the same transaction), by `history_time`.
    static func query(
        _ db: Database, source: String?, seq: Int64? = nil, id: String? = nil, typePrefix: String?, subject: String?, record: String? = nil,
        correlation: String?, from: String?, to: String?, limit: Int
    ) throws -> [JSONValue] {
        // Only the filters given go into the statement, so that SQLite picks the index that serves
        // them (a flow's few events by `history_correlation`, not a walk of the whole history by time).
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let record {
            // One search of `history_subject` for each kind.
            conditions.append("subject IN (\(Array(repeating: "?", count: subjectKinds.count).joined(separator: ", ")))")
            arguments += subjectKinds.map { "\($0)/\(record)" }
        }
        if let seq {
            conditions.append("seq = ?")
            arguments.append(seq)
        }
        if let id {
            guard let millis = EventID.milliseconds(of: id) else { return [] }
            conditions += ["id = ?", "time >= ?", "time < ?"]
            arguments += [id] + [millis - 60_000, millis + 60_000].map { Timestamp.format(Timestamp(timeIntervalSince1970: Double($0) / 1000)) }
        }
        for (condition, value) in [
            ("source = ?", source), ("substr(type, 1, length(?)) = ?", typePrefix), ("subject = ?", subject),
            ("correlation_id = ?", correlation), ("time >= ?", from), ("time < ?", to),
        ] {
            guard let value else { continue }
            conditions.append(condition)
            arguments += Array(repeating: value, count: condition.count(where: { $0 == "?" }))
        }
        return try Row.fetchAll(
            db,
            cached: """
                SELECT n, source, seq, type, subject, time, correlation_id, causation_id, json_extract(envelope, '$.data') AS data
                FROM history \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY time, source, seq LIMIT ?
                """,
            arguments: StatementArguments(arguments + [limit])
        ).map(entry)
    }

    /// One history row as JSON, `data` parsed.
    static func entry(_ row: Row) -> JSONValue {
        guard case .object(var object) = row.jsonObject() else { return .null }
        if let text = object["data"]?.stringValue { object["data"] = (try? JSONValue.parse(Array(text.utf8))) ?? .null }
        return .object(object)
    }

    /// How many events each source has in the history, and its last seq.
    static func sources(_ db: Database) throws -> [(source: String, events: Int64, lastSeq: Int64)] {
        try Row.fetchAll(db, cached: "SELECT source, COUNT(*) AS events, MAX(seq) AS last FROM history GROUP BY source ORDER BY source")
            .map { ($0["source"], $0["events"], $0["last"]) }
    }
}
