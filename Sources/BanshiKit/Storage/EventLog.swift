import SQLite

/// The service's event log: the outbox its relay publishes from, and what `events.since` serves.
///
/// `seq` is the table's integer primary key, assigned inside the single writer's transaction, so it
/// has no gaps and no repeats. The envelope is stored exactly as it was published, and nothing else
/// is: every other attribute is in it (`json_extract` reads them ad hoc), and each extra column made
/// every append write more. It has no `json_valid` check: the kit's own serializer writes it, and the
/// check cost a quarter of the append path's CPU.
///
/// Event ids are unique by construction, not by an index: only the appender mints them, with
/// `EventID.next()`, whose ids strictly increase within a process and carry 62 random bits. The
/// first schema also kept `id` in a column of its own with a `UNIQUE` index, which nothing read and
/// which cost the publisher a tenth of its CPU; the second drops both.
public enum EventLog {
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("banshi-event-log-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event_log (
                        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                        id TEXT NOT NULL UNIQUE,
                        envelope TEXT NOT NULL
                    ) STRICT
                    """)
        }
        migrator.registerMigration("banshi-event-log-v2") { db in
            // SQLite cannot drop a UNIQUE column in place: the log is copied into the new table. The
            // indexes a service made on the log (on a payload member, say) are made again after.
            let indexes = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'event_log' AND type = 'index' AND sql IS NOT NULL")
            try db.execute(
                sql: """
                    CREATE TABLE event_log_v2 (
                        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                        envelope TEXT NOT NULL
                    ) STRICT;
                    INSERT INTO event_log_v2 (seq, envelope) SELECT seq, envelope FROM event_log ORDER BY seq;
                    DROP TABLE event_log;
                    ALTER TABLE event_log_v2 RENAME TO event_log;
                    """)
            for index in indexes { try db.execute(sql: index) }
        }
    }

    /// The highest `seq` logged, 0 when the log is empty.
    public static func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM event_log")) ?? 0
    }

    /// The statement that logs an event, for `insert`.
    static func insertStatement(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: "INSERT INTO event_log (seq, envelope) VALUES (?, ?)")
    }

    /// Logs the event numbered `seq`, whose wire text is `bytes`, with the statement from `insertStatement`.
    static func insert(seq: Int64, bytes: [UInt8], db: Database, statement: Statement) throws {
        try db.executeBound(statement, [.int(seq), .utf8(bytes)])
    }

    /// Up to `limit` events with `seq > afterSeq`, in order, as stored JSON.
    /// The events after `afterSeq`, in order: at most `limit`, and no more than `maxBytes` of envelopes
    /// once the first is in (a page of large events stays a bounded reply; the caller asks for the rest).
    public static func since(_ db: Database, afterSeq: Int64, limit: Int, maxBytes: Int = .max) throws -> [(seq: Int64, envelope: String)] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT seq, envelope FROM event_log WHERE seq > ? ORDER BY seq LIMIT ?"),
            arguments: [afterSeq, limit])
        var events: [(seq: Int64, envelope: String)] = []
        var bytes = 0
        while let row = try rows.next() {
            let envelope: String = row[1]
            bytes += envelope.utf8.count
            if !events.isEmpty, bytes > maxBytes { break }
            events.append((row[0], envelope))
        }
        return events
    }
}
