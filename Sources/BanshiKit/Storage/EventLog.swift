import Foundation
import GRDB

/// The service's event log: the outbox its relay publishes from, and what `events.since` serves.
///
/// `seq` is the table's integer primary key, assigned inside the single writer's transaction, so it
/// has no gaps and no repeats. The envelope is stored exactly as it was published, and nothing else
/// is: every other attribute is in it (`json_extract` reads them ad hoc), and each extra column made
/// every append write more. It has no `json_valid` check: the kit's own serializer writes it, and the
/// check cost a quarter of the append path's CPU.
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
    }

    /// The highest `seq` logged, 0 when the log is empty.
    public static func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM event_log")) ?? 0
    }

    /// The statement that logs an event, for `insert`.
    static func insertStatement(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: "INSERT INTO event_log (seq, id, envelope) VALUES (?, ?, ?)")
    }

    /// Logs `envelope`, whose wire text is `bytes`, with the statement from `insertStatement`.
    static func insert(_ envelope: EventEnvelope, bytes: [UInt8], db: Database, statement: Statement) throws {
        try db.executeBound(statement, [.int(envelope.seq), .text(envelope.id), .utf8(bytes)])
    }

    /// Up to `limit` events with `seq > afterSeq`, in order, as stored JSON.
    public static func since(_ db: Database, afterSeq: Int64, limit: Int) throws -> [(seq: Int64, envelope: String)] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT seq, envelope FROM event_log WHERE seq > ? ORDER BY seq LIMIT ?"),
            arguments: [afterSeq, limit])
        var events: [(seq: Int64, envelope: String)] = []
        while let row = try rows.next() {
            events.append((row[0], row[1]))
        }
        return events
    }
}
