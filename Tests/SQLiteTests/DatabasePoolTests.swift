import BanshiTesting
import Foundation
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

    @Test("A commit's writes to the write-ahead log are one system call, or one per 124 KiB, and the log on disk holds every commit")
    func gatheredLogWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try Self.logPool(directory)
        defer { try? pool.close() }
        func commit(_ rows: ClosedRange<Int>) throws -> Int {
            try pool.writeWithoutTransaction { db in
                let before = try #require(db.writeAheadLogWrites)
                try db.inTransaction {
                    try Self.insert(db, rows)
                    return .commit
                }
                return try #require(db.writeAheadLogWrites) - before
            }
        }
        // 40 rows of 2 KB: about 20 frames, which SQLite writes as 40 headers and 40 pages.
        #expect(try commit(1...40) == 1)
        // About 200 frames (800 KiB): written 124 KiB at a time.
        #expect((6...9).contains(try commit(41...440)))
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 440)

        #expect(try FileManager.default.attributesOfItem(atPath: directory.file("pool.sqlite-wal"))[.size] as? Int ?? 0 > 800_000)
        #expect(try Self.recoveredCopy(directory) == 440)
    }

    @Test("Commits of 1 to 70 frames, whatever place each commit frame takes among the writes gathered, are all in the log on disk")
    func everyCommitSize() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try Self.logPool(directory)
        defer { try? pool.close() }
        try pool.writeWithoutTransaction { db in
            var last = 0
            for rows in 1...140 {
                try db.inTransaction {
                    try Self.insert(db, (last + 1)...(last + rows))
                    last += rows
                    return .commit
                }
            }
        }
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 9870)
        #expect(try Self.recoveredCopy(directory) == 9870)
    }

    @Test("A transaction larger than the page cache, whose spilled frames are written again in place, is whole in the log on disk")
    func spilledCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try Self.logPool(directory, cachePages: 20)
        defer { try? pool.close() }
        try pool.writeWithoutTransaction { db in
            try db.inTransaction {
                // About 150 pages through a cache of 20: the pages spill to the log, then each is
                // changed again, so the commit writes them again in place and rewrites the checksums.
                try Self.insert(db, 1...300, "a")
                try db.execute(sql: "UPDATE t SET body = replace(body, 'a', 'b')")
                return .commit
            }
        }
        #expect(try Self.recoveredCopy(directory, check: "SELECT count(*) FROM t WHERE body LIKE 'b%'") == 300)
    }

    @Test("The frames of a transaction rolled back after it spilled never land on frames another connection committed")
    func spilledRollback() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try Self.logPool(directory, cachePages: 20)
        defer { try? pool.close() }
        try pool.writeWithoutTransaction { db in
            // An empty log: the rollback then reads every page it needs again from the database file,
            // and nothing makes the connection write what its log gathered.
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.inTransaction {
                // Overflow pages through a cache of 20: some spill, fewer than 124 KiB, all still gathered.
                try Self.insert(db, 1...12, "a", length: 12_000)
                return .rollback
            }
        }
        // Another connection commits where the rolled-back frames were to go, and past them.
        let other = try DatabaseQueue(path: directory.file("pool.sqlite"))
        try other.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        try other.write { db in try Self.insert(db, 1...100, "c") }
        try other.close()
        // The first connection touches its log again (a read, which writes what it gathered first).
        #expect(try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE body LIKE 'c%'") } == 100)
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE body LIKE 'c%'") } == 100)
        #expect(try Self.recoveredCopy(directory, check: "SELECT count(*) FROM t WHERE body LIKE 'c%'") == 100)
    }

    /// A pool in `directory` with the table `t`, whose writer writes as the services' do (the log not
    /// synced at each commit: a sync would write what is gathered), with no automatic checkpoint, so
    /// that what a test checks is the log alone, and, when given, a page cache of `cachePages`.
    static func logPool(_ directory: TemporaryDirectory, cachePages: Int? = nil) throws -> DatabasePool {
        let pool = try DatabasePool(path: directory.file("pool.sqlite"))
        try pool.writeWithoutTransaction { db in
            if let cachePages { try db.execute(sql: "PRAGMA cache_size = \(cachePages)") }
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        }
        return pool
    }

    /// Inserts the rows `numbers` into `t`, each with a body of `length` times `letter`.
    static func insert(_ db: Database, _ numbers: ClosedRange<Int>, _ letter: String = "x", length: Int = 2000) throws {
        for n in numbers { try db.execute(cached: "INSERT INTO t VALUES (?, ?)", arguments: [n, String(repeating: letter, count: length)]) }
    }

    /// The database and its log as they are on disk, as another process would find them after a crash:
    /// copied, with no wal-index, recovered from the log's frames alone and checked whole; `check`
    /// (a count) is then run on it.
    static func recoveredCopy(_ directory: TemporaryDirectory, check: String = "SELECT count(*) FROM t") throws -> Int? {
        for suffix in ["", "-wal"] {
            try? FileManager.default.removeItem(atPath: directory.file("copy.sqlite\(suffix)"))
            try FileManager.default.copyItem(atPath: directory.file("pool.sqlite\(suffix)"), toPath: directory.file("copy.sqlite\(suffix)"))
        }
        let copy = try DatabaseQueue(path: directory.file("copy.sqlite"))
        defer { try? copy.close() }
        #expect(try copy.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        return try copy.read { db in try Int.fetchOne(db, sql: check) }
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
