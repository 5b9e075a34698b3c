import BanshiTesting
import Foundation
import SQLite
import Testing

@testable import BanshiKit

@Suite("CHECK lists rewritten as comparisons")
struct CheckListsTests {
    static let table = """
        CREATE TABLE aid (
            id TEXT PRIMARY KEY,
            origin TEXT NOT NULL CHECK (origin IN ('application', 'ex-officio')),
            status TEXT NOT NULL CHECK (status IN ('review', 'approved', 'rejected', 'paid')),
            note TEXT CHECK (note IN ('a,b', 'c', 'd')),
            level INTEGER CHECK (level IN (1, 2, 3)),
            kind TEXT CHECK (kind IN ('x','y','z')),
            CHECK (status NOT IN ('approved', 'paid') OR origin IS NOT NULL)
        ) STRICT
        """

    @Test("A list of more than two literals becomes comparisons that allow the same values; others stay; a second run changes nothing")
    func rewrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("lists.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: Self.table)
            try db.execute(sql: "INSERT INTO aid (id, origin, status) VALUES ('1', 'application', 'paid')")
        }
        let changed = try queue.write { db in try CheckLists.rewrite(db) }
        #expect(changed == ["aid"])
        let sql = try queue.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'aid'") } ?? ""
        #expect(sql.contains("CHECK (status = 'review' OR status = 'approved' OR status = 'rejected' OR status = 'paid')"))
        #expect(sql.contains("CHECK (origin IN ('application', 'ex-officio'))"), "two values: SQLite compares them already")
        #expect(sql.contains("CHECK (note IN ('a,b', 'c', 'd'))"), "a literal with a comma is left alone")
        #expect(sql.contains("CHECK (level IN (1, 2, 3))"), "numbers are left alone")
        #expect(sql.contains("CHECK (kind = 'x' OR kind = 'y' OR kind = 'z')"))
        #expect(sql.contains("CHECK (status NOT IN ('approved', 'paid') OR origin IS NOT NULL)"))
        #expect(try queue.write { db in try CheckLists.rewrite(db) }.isEmpty)

        // The same values pass and fail, on this connection and on a new one.
        for connection in [queue, try DatabaseQueue(path: path)] {
            try connection.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO aid (id, origin, status) VALUES ('2', 'ex-officio', 'review')")
                let error = #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "INSERT INTO aid (id, origin, status) VALUES ('3', 'application', 'lost')")
                }
                #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            }
        }
        #expect(try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test("A service database opens with its CHECK lists already rewritten")
    func atOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase(path: directory.file("svc.sqlite")) { migrator in
            migrator.registerMigration("v1") { db in try db.execute(sql: Self.table) }
        }
        defer { try? database.close() }
        let sql = try database.writer.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'aid'") } ?? ""
        #expect(sql.contains("status = 'review' OR"))
        #expect(!sql.contains("status IN ("))
    }
}
