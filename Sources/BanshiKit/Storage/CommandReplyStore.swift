import GRDB

/// The replies of state-changing commands, by request id: what makes a command idempotent.
///
/// The reply is stored in the same transaction as the command's effects, so a retried request finds
/// either nothing (and runs) or the stored reply (and changes nothing). Errors are not stored: a
/// failed command changed nothing, and a retry after `unavailable` must really run again.
enum CommandReplyStore {
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("banshi-command-replies-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE command_reply (
                        request_id TEXT PRIMARY KEY,
                        command TEXT NOT NULL,
                        reply TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    ) STRICT
                    """)
        }
    }

    /// The stored reply to `requestId`, with the command it answered.
    static func find(_ db: Database, requestId: String) throws -> (command: String, reply: String)? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT command, reply FROM command_reply WHERE request_id = ?"),
            arguments: [requestId])
        return row.map { ($0[0], $0[1]) }
    }

    static func store(_ db: Database, requestId: String, command: String, reply: String, at time: String) throws {
        try db.cachedStatement(
            sql: "INSERT INTO command_reply (request_id, command, reply, created_at) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [requestId, command, reply, time])
    }
}
