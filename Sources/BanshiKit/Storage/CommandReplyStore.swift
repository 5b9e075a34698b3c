import SQLite

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
        migrator.registerMigration("banshi-command-replies-v2") { db in
            try db.execute(sql: "CREATE INDEX command_reply_created ON command_reply(created_at)")
        }
        // The digest of the arguments a reply answered, so that an id sent again with other arguments is
        // a conflict, not the old reply. Replies stored before it have none and match any arguments.
        migrator.registerMigration("banshi-command-replies-v3") { db in
            try db.execute(sql: "ALTER TABLE command_reply ADD COLUMN args_sha256 TEXT")
        }
        // No index on the time a reply was stored: replies are appended in the order of the clock, so
        // the rowid orders them by time as well, and the prune deletes from the oldest. The index was
        // a B-tree insert for every state-changing command, to serve a prune an hour.
        migrator.registerMigration("banshi-command-replies-v4") { db in
            try db.execute(sql: "DROP INDEX command_reply_created")
        }
    }

    /// `replies.prune`: forgets the replies stored before the retention window. A request id sent
    /// again after that runs again, so the window must outlast any client's retries (days, not
    /// seconds). Run by the service itself every hour when `[runtime] reply_retention_days` is set.
    static func pruneCommand(defaultDays: Int?) -> CommandSpec {
        CommandSpec(
            "replies.prune", "forget stored command replies older than the retention window (idempotency lasts that long)",
            arguments: [ArgumentSpec("older_than_days", .integer, "the window in days, 0 to 36500 (default: [runtime] reply_retention_days)")]
        ) { context, events in
            let days = try context.arguments.int("older_than_days", default: Int64(defaultDays ?? 30), in: 0...36_500)
            let cutoff = Timestamp.format(Timestamp().addingTimeInterval(-Double(days) * 86_400))
            // The oldest reply to keep, found from the oldest reply stored: the walk passes only the
            // replies it then deletes. A reply stored while the clock stood behind a later one (the
            // clock stepped back) goes with the next prune that finds every reply before it due.
            let kept = try Int64.fetchOne(
                events.db, sql: "SELECT rowid FROM command_reply WHERE created_at >= ? ORDER BY rowid LIMIT 1", arguments: [cutoff])
            try events.db.execute(sql: "DELETE FROM command_reply WHERE rowid < ?", arguments: [kept ?? Int64.max])
            return ["pruned": .int(Int64(events.db.changesCount)), "before": .string(cutoff)]
        }
    }

    /// The stored reply to `requestId`, with the command and the digest of the arguments it answered.
    static func find(_ db: Database, requestId: String) throws -> (command: String, argsDigest: String?, reply: String)? {
        let row = try db.fetchFirstRowText("SELECT command, args_sha256, reply FROM command_reply WHERE request_id = ?", [.text(requestId)])
        return row.map { ($0[0] ?? "", $0[1], $0[2] ?? "") }
    }

    /// `reply`: the reply's JSON text as UTF-8, stored as text.
    static func store(_ db: Database, requestId: String, command: String, argsDigest: String, reply: [UInt8], at time: String) throws {
        try db.executeBound(
            "INSERT INTO command_reply (request_id, command, args_sha256, reply, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(requestId), .text(command), .text(argsDigest), .utf8(reply), .text(time)])
    }
}
