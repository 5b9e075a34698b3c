import BanshiTesting
import SQLite
import Testing

@testable import BanshiKit

/// What lets a reply acknowledge a command: the service's writer syncs every commit.
@Suite("A service's database")
struct ServiceDatabaseTests {
    @Test("The writer commits with synchronous=FULL in WAL mode, foreign keys on, and each reader too enforces nothing it cannot write")
    func durability() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase(path: directory.file("service/service.sqlite"))
        defer { try? database.close() }
        let (synchronous, journal, foreignKeys) = try database.writer.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        // 2 is FULL: the commit is on disk when `write` returns. (NORMAL, 1, would sync only at checkpoints.)
        #expect(synchronous == 2)
        #expect(journal == "wal")
        #expect(foreignKeys == true)
        let error = #expect(throws: DatabaseError.self) {
            try database.writer.read { db in try db.execute(sql: "DELETE FROM event_log") }
        }
        #expect(error?.resultCode == .SQLITE_READONLY)
    }
}
