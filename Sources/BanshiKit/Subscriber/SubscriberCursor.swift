import SQLite

/// A durable subscriber's position per source: the last `seq` it applied, written in the same
/// transaction as the effects of applying it.
enum SubscriberCursor {
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("banshi-subscriber-cursor-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE subscriber_cursor (
                        source TEXT PRIMARY KEY,
                        last_seq INTEGER NOT NULL CHECK (last_seq >= 0)
                    ) STRICT
                    """)
        }
    }

    static func all(_ db: Database) throws -> [String: Int64] {
        var cursors: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT source, last_seq FROM subscriber_cursor") {
            cursors[row[0]] = row[1]
        }
        return cursors
    }

    static func set(_ db: Database, source: String, seq: Int64) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO subscriber_cursor (source, last_seq) VALUES (?, ?)
                ON CONFLICT (source) DO UPDATE SET last_seq = excluded.last_seq
                """
        ).execute(arguments: [source, seq])
    }
}
