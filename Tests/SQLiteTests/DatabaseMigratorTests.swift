import SQLite
import Testing

/// Migrations: once each, in order, recorded where databases already in service record them.
@Suite("SQLite: migrations")
struct DatabaseMigratorTests {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: "CREATE TABLE parent (id TEXT PRIMARY KEY)") }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))")
        }
        return migrator
    }

    @Test("Each migration runs once, in order, up to a named one; the record is the table grdb_migrations")
    func once() throws {
        let queue = try DatabaseQueue()
        let migrator = Self.migrator()
        try migrator.migrate(queue, upTo: "v1")
        #expect(try queue.read { db in try migrator.appliedMigrations(db) } == ["v1"])
        #expect(try queue.read { db in try db.tableExists("child") } == false)
        try migrator.migrate(queue)
        try migrator.migrate(queue)  // nothing left to run: no "table already exists"
        #expect(try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") } == ["v1", "v2"])
    }

    @Test("A migration that fails changes nothing and is not recorded; one that leaves a broken reference fails the same way")
    func failures() throws {
        let queue = try DatabaseQueue()
        var migrator = Self.migrator()
        migrator.registerMigration("v3 broken reference") { db in
            // Foreign keys are off while a migration runs, so the insert passes; the check after it does not.
            try db.execute(sql: "INSERT INTO child VALUES ('c1', 'nobody')")
        }
        let error = #expect(throws: DatabaseError.self) { try migrator.migrate(queue) }
        #expect(error?.resultCode == .SQLITE_CONSTRAINT)
        #expect(error?.message?.contains("v3 broken reference") == true)
        #expect(try queue.read { db in try migrator.appliedMigrations(db) } == ["v1", "v2"])
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM child") } == 0)
        // Foreign keys are on again for the connection's next statements.
        #expect(try queue.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") } == true)
        var typo = Self.migrator()
        typo.registerMigration("v3 typo") { db in try db.execute(sql: "CREATE TABEL nope (x)") }
        #expect(throws: DatabaseError.self) { try typo.migrate(queue) }
        #expect(try queue.read { db in try migrator.appliedMigrations(db) } == ["v1", "v2"])
    }
}
