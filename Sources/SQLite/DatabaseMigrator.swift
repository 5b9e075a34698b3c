/// Named migrations, applied once each and in the order they were registered.
///
/// Which migrations a database has had is recorded in its table `grdb_migrations`: the name the
/// table had when Banshi's databases were migrated by GRDB, kept so that every database already in
/// service reads as migrated as far as it was.
public struct DatabaseMigrator: Sendable {
    private var registered: [(identifier: String, migrate: @Sendable (Database) throws -> Void)] = []

    public init() {}

    /// The names of the migrations, in order.
    public var migrations: [String] { registered.map(\.identifier) }

    /// Adds a migration. A name is registered once: a shipped migration is never edited, only
    /// followed by another.
    public mutating func registerMigration(_ identifier: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        precondition(!migrations.contains(identifier), "migration \(identifier) is registered twice")
        registered.append((identifier, migrate))
    }

    /// Applies every migration the database has not had; returns their names, in the order applied.
    /// `beforeRunning` is told them first, when there are any.
    @discardableResult
    public func migrate(_ writer: some DatabaseWriter, beforeRunning: ([String]) -> Void = { _ in }) throws -> [String] {
        guard let last = registered.last else { return [] }
        return try migrate(writer, upTo: last.identifier, beforeRunning: beforeRunning)
    }

    /// Applies the migrations the database has not had, up to and including `target`; returns their
    /// names, in the order applied. `beforeRunning` is told them first, when there are any.
    @discardableResult
    public func migrate(_ writer: some DatabaseWriter, upTo target: String, beforeRunning: ([String]) -> Void = { _ in }) throws -> [String] {
        guard let end = registered.firstIndex(where: { $0.identifier == target }) else {
            preconditionFailure("no migration named \(target)")
        }
        return try writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            let pending = registered[...end].filter { !applied.contains($0.identifier) }
            if !pending.isEmpty { beforeRunning(pending.map(\.identifier)) }
            for migration in pending { try run(migration.identifier, migration.migrate, db) }
            return pending.map(\.identifier)
        }
    }

    /// Which of the migrations the database has had.
    public func appliedMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        return migrations.filter(applied.contains)
    }

    /// One migration in its own transaction. With foreign keys on, it runs with them off, as SQLite
    /// asks of schema changes that rebuild a table, and commits only if `foreign_key_check` then
    /// finds nothing the migration broke.
    private func run(_ identifier: String, _ migrate: (Database) throws -> Void, _ db: Database) throws {
        let foreignKeys = try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
        if foreignKeys { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
        defer { if foreignKeys { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
        try db.inTransaction(.immediate) {
            try migrate(db)
            if foreignKeys, let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                let table: String = broken[0]
                let parent: String = broken[2]
                throw DatabaseError(
                    resultCode: .SQLITE_CONSTRAINT,
                    message: "migration \(identifier) leaves a row of \(table) referring to a missing row of \(parent)")
            }
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
            return .commit
        }
    }
}
