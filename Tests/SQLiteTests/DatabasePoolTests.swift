import BanshiTesting
import SQLite
import Testing

/// The pool: a WAL database with one writer and readers beside it.
@Suite("SQLite: a pool of connections")
struct DatabasePoolTests {
    @Test("The pool is in WAL mode and keeps the synchronous level its connections were prepared with")
    func pragmas() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: directory.file("pool.sqlite"), configuration: configuration)
        defer { try? pool.close() }
        #expect(try pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        // 2 is FULL: each commit is synced before `write` returns.
        #expect(try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
    }

    @Test("A read sees one snapshot while the writer commits beside it; async reads and writes run off the caller's thread")
    func snapshots() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try DatabasePool(path: directory.file("pool.sqlite"))
        defer { try? pool.close() }
        try await pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)") }
        let (before, after) = try Self.countAroundACommit(pool)
        #expect(before == 1 && after == 1)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 2)
    }

    /// Counts the rows, has the writer insert one, and counts again, in one read.
    static func countAroundACommit(_ pool: DatabasePool) throws -> (Int, Int) {
        try pool.read { db -> (Int, Int) in
            let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")!
            try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
            return (before, try Int.fetchOne(db, sql: "SELECT count(*) FROM t")!)
        }
    }

    @Test("A backup is a whole copy, taken while the pool stays in use")
    func backup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try DatabasePool(path: directory.file("pool.sqlite"))
        defer { try? pool.close() }
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT)")
            for n in 1...500 { try db.execute(cached: "INSERT INTO t VALUES (?, ?)", arguments: [n, String(repeating: "x", count: 100)]) }
        }
        let copy = try DatabaseQueue(path: directory.file("copy.sqlite"))
        let pages = try pool.backup(to: copy)
        #expect(pages > 10)
        #expect(try copy.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 500)
        #expect(try copy.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        try copy.close()
    }
}
