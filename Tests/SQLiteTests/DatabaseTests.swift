import SQLite
import Testing

/// One connection: statements, values as SQLite stores them, transactions and errors.
@Suite("SQLite: one connection")
struct DatabaseTests {
    @Test("Several statements in one text take their arguments in order; a wrong count is refused and runs nothing more")
    func multipleStatements() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE t (n INTEGER PRIMARY KEY, label TEXT NOT NULL);
                INSERT INTO t (n, label) VALUES (?, ?);
                -- a comment between statements
                INSERT INTO t (n, label) VALUES (?, ?);
                """, arguments: [1, "one", 2, "二"])
        }
        #expect(try queue.read { db in try String.fetchAll(db, sql: "SELECT label FROM t ORDER BY n") } == ["one", "二"])
        let tooMany = #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "INSERT INTO t (n, label) VALUES (?, ?)", arguments: [3, "three", "extra"]) }
        }
        #expect(tooMany?.resultCode == .SQLITE_RANGE)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 2)
    }

    @Test("Values read back as stored: integers, reals, text, blobs and NULL; an optional reads NULL and a missing column as nil")
    func values() throws {
        let queue = try DatabaseQueue()
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT 42 AS i, 2.5 AS r, '文本' AS t, x'00ff' AS b, NULL AS z, 3.0 AS whole")!
        }
        #expect(row["i"] as Int64 == 42)
        #expect(row["I"] as Int == 42)  // column names compare without regard to case, as in SQL
        #expect(row["i"] as Double == 42)
        #expect(row["r"] as Double == 2.5)
        #expect(row["whole"] as Int64 == 3)
        #expect(row["t"] as String == "文本")
        #expect(row["b"] as DatabaseValue == DatabaseValue(storage: .blob([0x00, 0xFF])))
        #expect(row["z"] as String? == nil)
        #expect(row["absent"] as String? == nil)
        #expect(row["i"] as Bool == true)
        #expect(Array(row.map(\.0)) == ["i", "r", "t", "b", "z", "whole"])
        let mismatch = #expect(throws: DatabaseError.self) { try queue.read { db in try Int.fetchOne(db, sql: "SELECT 'text'") } }
        #expect(mismatch?.resultCode == .SQLITE_MISMATCH)
        #expect(try queue.read { db in try String.fetchOne(db, sql: "SELECT NULL") } == nil)
    }

    @Test("A transaction that throws is rolled back whole; one that returns .rollback too; a constraint names itself and the statement")
    func transactions() throws {
        struct Stop: Error {}
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY CHECK (n < 10))") }
        #expect(throws: Stop.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (1)")
                throw Stop()
            }
        }
        try queue.writeWithoutTransaction { db in
            try db.inTransaction {
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                return .rollback
            }
            #expect(!db.isInsideTransaction)
        }
        let error = #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (3)")
                try db.execute(sql: "INSERT INTO t VALUES (11)")
            }
        }
        #expect(error?.resultCode == .SQLITE_CONSTRAINT)
        #expect("\(error!)".contains("CHECK constraint failed"))
        #expect("\(error!)".contains("INSERT INTO t VALUES (11)"))
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 0)
    }

    @Test("Foreign keys are enforced on every connection")
    func foreignKeys() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (parent_id TEXT NOT NULL REFERENCES parent(id))")
        }
        let error = #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "INSERT INTO child VALUES ('nobody')") }
        }
        #expect(error?.extendedResultCode == ResultCode(rawValue: 787))  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Test("A cursor reads rows one at a time and leaves its cached statement ready for the next use")
    func cursor() throws {
        let queue = try DatabaseQueue()
        let sums = try queue.write { db -> [Int64] in
            try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)")
            for n in 1...5 { try db.execute(cached: "INSERT INTO t VALUES (?)", arguments: [n]) }
            var sums: [Int64] = []
            for _ in 0..<2 {
                let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT n FROM t WHERE n > ? ORDER BY n"), arguments: [2])
                var sum: Int64 = 0
                while let row = try rows.next() { sum += row[0] as Int64 }
                sums.append(sum)
            }
            return sums
        }
        #expect(sums == [12, 12])
    }
}
