import BanshiKit
import SQLite

/// What SQLite alone makes of a program's commands: the rows its commands stored (its own tables,
/// the event log and its timeline, the stored replies, the audit log), written again into an empty
/// database of the same schema, command by command, in groups of the size the service committed, in
/// a database opened as every service opens its own (`ServiceDatabase`). Each command first looks its
/// request id up among the stored replies, as the service does; nothing else runs per command: no socket,
/// no JSON, no rule, none of the command's own reads, no foreign-key lookup. So this is more than
/// the service's commands could reach with this schema on this machine; the commands' rate over it
/// is what the rest of the path costs.
///
/// The commands are the audit log's entries; each table's rows are spread evenly over them in the
/// order they were stored (a child's row, then its event, its reply and its audit entry, say).
enum CommandReplay {
    struct Result {
        let commands: Int
        let rows: Int
        let elapsed: Duration
    }

    private struct Table {
        let name: String
        let rows: [[SQLiteBinding]]
    }

    /// `source` is the program's database, read while the service runs; `perTransaction` is how many
    /// commands the service committed in one transaction.
    static func run(source: String, perTransaction: Int) throws -> Result {
        try Baselines.withReplica(of: source) { db in
            // A row can come before the row it refers to (the rows are spread, not replayed as they
            // came): the replay skips the foreign-key lookups the service makes, as it skips its reads.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let tables = try copySchema(db)
            // The kit's tables last, in the order a command writes them.
            let kit = ["event_log", "event_timeline", "command_reply", "audit_log"]
            let order = tables.filter { !kit.contains($0) } + kit.filter(tables.contains)
            let loaded = try order.map { name in
                // The timeline has no rowid: its rows were stored in the order of their events.
                let stored = name == "event_timeline" ? "seq" : "rowid"
                return Table(
                    name: name,
                    rows: try Row.fetchAll(db, sql: "SELECT * FROM src.\"\(name)\" ORDER BY \(stored)").map { $0.databaseValues.map(binding) })
            }
            let requestIds = try String.fetchAll(db, sql: "SELECT request_id FROM src.command_reply ORDER BY rowid")
            let commands = Int(try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM src.audit_log") ?? 0)
            let inserts = try loaded.map { table in
                try db.cachedStatement(
                    sql: "INSERT INTO main.\"\(table.name)\" VALUES (\(Array(repeating: "?", count: table.rows[0].count).joined(separator: ", ")))")
            }
            let start = ContinuousClock.now
            var command = 0
            while command < commands {
                let end = min(commands, command + perTransaction)
                try db.inTransaction {
                    for index in command..<end {
                        if index < requestIds.count {
                            _ = try db.fetchFirstRowText(
                                "SELECT command, args_sha256, reply FROM main.command_reply WHERE request_id = ?", [.text(requestIds[index])])
                        }
                        for (table, insert) in zip(loaded, inserts) {
                            let rows = table.rows.count
                            for row in (index * rows / commands)..<((index + 1) * rows / commands) {
                                try db.executeBound(insert, table.rows[row])
                            }
                        }
                    }
                    return .commit
                }
                command = end
            }
            let elapsed = ContinuousClock.now - start
            return Result(commands: commands, rows: loaded.reduce(0) { $0 + $1.rows.count }, elapsed: elapsed)
        }
    }

    /// Makes the source's tables and indexes that the kit's migrations did not already make, and
    /// returns the names of the tables that hold rows (not the migrator's own, nor a full-text index
    /// and its shadow tables: no command of the mixes writes those).
    private static func copySchema(_ db: Database) throws -> [String] {
        let existing = Set(try String.fetchAll(db, sql: "SELECT name FROM main.sqlite_schema"))
        let schema = try Row.fetchAll(
            db, sql: "SELECT type, name, sql FROM src.sqlite_schema WHERE sql IS NOT NULL AND type IN ('table', 'index') ORDER BY type DESC, rowid")
        let virtual = schema.compactMap { row -> String? in
            let sql: String = row["sql"]
            return sql.hasPrefix("CREATE VIRTUAL TABLE") ? row["name"] : nil
        }
        var tables: [String] = []
        for row in schema {
            let (type, name, sql): (String, String, String) = (row["type"], row["name"], row["sql"])
            if name.hasPrefix("sqlite_") || name == "grdb_migrations" || virtual.contains(where: { name == $0 || name.hasPrefix("\($0)_") }) { continue }
            if !existing.contains(name) { try db.execute(sql: sql) }
            if type == "table", try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM src.\"\(name)\"") ?? 0 > 0 { tables.append(name) }
        }
        return tables
    }

    private static func binding(_ value: DatabaseValue) -> SQLiteBinding {
        switch value.storage {
        case .null: .null
        case .int64(let number): .int(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        // No program stores a BLOB: each text column holds UTF-8.
        case .blob(let bytes): .utf8(bytes)
        }
    }
}
