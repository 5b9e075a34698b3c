import SQLite

/// Every state-changing command, whoever sent it and however it ended: time, key, fingerprint, role,
/// command, a SHA-256 digest of its arguments (not the arguments: they may hold a child's name), and
/// the result. Written in the command's own transaction, so that what happened and its record agree.
/// The table has no index besides its rowid: every command pays for the insert, while the filters of
/// `audit.list` (newest first, by key or command, or all but one key's) are an occasional admin's scan
/// from the end.
public enum AuditLog {
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("kit-audit-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        n INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        request_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        role TEXT,
                        command TEXT NOT NULL,
                        args_sha256 TEXT NOT NULL,
                        result TEXT NOT NULL
                    ) STRICT
                    """)
        }
    }

    /// The digest of a request's arguments, as the audit log and the reply store keep it.
    static func digest(_ request: CommandRequest) -> String {
        SHA256.hex(JSONValue.object(request.args).serializedBytes())
    }

    /// Records one command; `result` is "ok" or the error code.
    static func record(_ db: Database, request: CommandRequest, argsDigest: String, caller: Caller, result: String, at: Timestamp) throws {
        try db.executeBound(
            "INSERT INTO audit_log (at, request_id, key, fingerprint, role, command, args_sha256, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .text(Timestamp.format(at)), .text(request.id), .text(caller.key), .text(caller.fingerprint),
                caller.role.map { .text($0.rawValue) } ?? .null, .text(request.command), .text(argsDigest), .text(result),
            ])
    }

    /// `audit.list`: the log, newest first.
    static func command() -> CommandSpec {
        CommandSpec(
            "audit.list", "who changed what: every state-changing command with its caller's key, role and result, newest first",
            arguments: [
                ArgumentSpec("key", .string, "only this key's commands"),
                ArgumentSpec("command", .string, "only this command"),
                ArgumentSpec("except_key", .string, "leave out this key's commands (the service's own: its timers' deadline scans and pruning)"),
                PageLimit.entries.argument,
            ]
        ) { context in
            let arguments = context.arguments
            let limit = try PageLimit.entries.value(arguments)
            return [
                "entries": try await context.rows(
                    """
                    SELECT at, request_id, key, fingerprint, role, command, args_sha256, result FROM audit_log
                    WHERE (?1 IS NULL OR key = ?1) AND (?2 IS NULL OR command = ?2) AND (?4 IS NULL OR key <> ?4)
                    ORDER BY n DESC LIMIT ?3
                    """,
                    [arguments.optionalString("key"), arguments.optionalString("command"), limit, arguments.optionalString("except_key")])
            ]
        }
    }
}
