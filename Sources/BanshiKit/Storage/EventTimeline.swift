import SQLite

/// A program's timelines: for each event, the entity it belongs to, so that one entity's events (a
/// child's, an enterprise's) are read in order without a scan of the log.
///
/// A program names the data member that keys its events (`EventCatalog.timeline`, `child_id`), and the
/// appender writes `(key, seq)` here beside the event, from the data it already holds. The log itself
/// stays as it was published. An index on the log by `json_extract(envelope, '$.data.<member>')`
/// serves the same reads, but SQLite then parses each envelope's JSON twice for every event appended
/// (the index's key and its `WHERE`): about 2 µs of a children command's CPU on the benchmark
/// machine (docs/benchmarks.md, nineteenth set).
public enum EventTimeline {
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("kit-event-timeline-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event_timeline (
                        key TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        PRIMARY KEY (key, seq)
                    ) STRICT, WITHOUT ROWID
                    """)
        }
    }

    /// For a program's migration: keys every logged event by its data's `member` and drops `index`,
    /// the expression index on the log that served its timelines until now.
    public static func adopt(_ db: Database, member: String, replacing index: String) throws {
        let path = "$.data.\(member)"
        try db.execute(
            sql: """
                INSERT INTO event_timeline (key, seq)
                SELECT json_extract(envelope, ?), seq FROM event_log WHERE json_type(envelope, ?) = 'text' ORDER BY seq
                """,
            arguments: [path, path])
        try db.execute(sql: "DROP INDEX \(index)")
    }

    /// The statement that keys an event, for `insert`.
    static func insertStatement(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: "INSERT INTO event_timeline (key, seq) VALUES (?, ?)")
    }

    /// Keys the event numbered `seq` by `member` of its `data`, when that is text.
    static func insert(seq: Int64, data: JSONValue, member: String, db: Database, statement: Statement) throws {
        guard case .string(let key)? = data[member] else { return }
        try db.executeBound(statement, [.text(key), .int(seq)])
    }

    /// The events keyed by `key`, in order: each its `seq`, `type`, `time`, `subject` and `data`.
    public static func events(_ db: Database, key: String) throws -> [JSONValue] {
        let rows = try Row.fetchAll(
            db,
            cached: """
                SELECT l.seq, json_extract(l.envelope, '$.type') AS type, json_extract(l.envelope, '$.time') AS time,
                       json_extract(l.envelope, '$.subject') AS subject, json_extract(l.envelope, '$.data') AS data
                FROM event_timeline t JOIN event_log l ON l.seq = t.seq WHERE t.key = ? ORDER BY t.seq
                """,
            arguments: [key])
        return try rows.map { row in
            guard case .object(var entry) = row.jsonObject() else { return .null }
            entry["data"] = try JSONValue.parse(Array((row["data"] as String).utf8))
            return .object(entry)
        }
    }
}
