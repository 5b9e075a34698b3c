import BanshiTesting
import Foundation
import SQLite
import Testing

@testable import BanshiKit

/// The log is copied back into the database file by the checkpointer's thread, not inside a commit;
/// past the backstop, by the commit itself. Each test watches the database file's size, which grows
/// only when a checkpoint copies pages into it.
@Suite("WAL checkpoints off the commit path")
struct WALCheckpointerTests {
    /// A table and rows of 4 KiB, so that each row is about one frame in the log.
    static func createScratch(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE scratch (n INTEGER PRIMARY KEY, filler BLOB NOT NULL)")
    }

    static func insert(_ rows: Int, into writer: some DatabaseWriter) throws {
        try writer.write { db in
            for _ in 0..<rows {
                try db.execute(sql: "INSERT INTO scratch (filler) VALUES (zeroblob(4000))")
            }
        }
    }

    static func fileSize(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("A service database's log reaches its file without another commit, below SQLite's own threshold")
    func backgroundCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("service.sqlite")
        let database = try ServiceDatabase(path: path) { migrator in
            migrator.registerMigration("scratch") { db in try Self.createScratch(db) }
        }
        defer { try? database.close() }
        let before = try Self.fileSize(path)
        let rounds = database.checkpointsRun
        // About 500 frames: past the checkpointer's 256, short of the 1,000 at which SQLite's automatic
        // checkpoint would have run inside the commit.
        try Self.insert(500, into: database.writer)
        // The file grows when the log is copied into it: by the checkpointer's thread, which may already
        // have run its round (its count says so), never by the commit.
        // (The round is counted before it copies, so the size is read first.)
        if try Self.fileSize(path) - before >= 500 * 4000 {
            #expect(database.checkpointsRun > rounds, "the commit itself copied the log")
        }
        try await waitFor(.seconds(30)) { try Self.fileSize(path) - before >= 500 * 4000 }
        #expect(database.checkpointsRun > rounds, "the checkpointer's thread copied it")
    }

    @Test("The commit that leaves the threshold in the log wakes the thread, which copies it at once")
    func wokenByCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("woken.sqlite")
        let pool = try DatabasePool(path: path)
        try await pool.write { db in try Self.createScratch(db) }
        // An interval of an hour: only the commit's wake-up can start a round within the test.
        let checkpointer = try WALCheckpointer(path: path, interval: .seconds(3600), threshold: 50, backstop: 10_000)
        defer {
            try? pool.close()
            checkpointer.stop()
        }
        try await pool.writeWithoutTransaction { db in checkpointer.attach(to: db) }
        let before = try Self.fileSize(path)
        try Self.insert(20, into: pool)
        try await Task.sleep(for: .milliseconds(200))
        #expect(checkpointer.checkpointsRun == 0, "20 frames, under the threshold: no round")
        try Self.insert(100, into: pool)
        try await waitFor(.seconds(30)) { try Self.fileSize(path) - before >= 120 * 4000 }
        #expect(checkpointer.checkpointsRun >= 1)
    }

    /// A pool with the scratch table and a checkpointer attached to its writer (threshold 50 frames).
    static func attached(_ path: String, interval: Duration, pause: Duration) async throws -> (DatabasePool, WALCheckpointer) {
        let pool = try DatabasePool(path: path)
        try await pool.write { db in try createScratch(db) }
        let checkpointer = try WALCheckpointer(path: path, interval: interval, pause: pause, threshold: 50, backstop: 10_000)
        try await pool.writeWithoutTransaction { db in checkpointer.attach(to: db) }
        return (pool, checkpointer)
    }

    @Test("After a round and its pause, the next round starts at a commit's ring, not when the pause runs out")
    func nextRoundAtCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pause.sqlite")
        // An interval of an hour: only a commit's ring can start a round within the test.
        let (pool, checkpointer) = try await Self.attached(path, interval: .seconds(3600), pause: .seconds(2))
        defer {
            try? pool.close()
            checkpointer.stop()
        }
        let before = try Self.fileSize(path)
        try Self.insert(100, into: pool)
        try await waitFor(.seconds(30)) { checkpointer.checkpointsRun == 1 }
        // Within the 2 s pause: the commit marks the round due and its ring is set aside.
        try Self.insert(100, into: pool)
        try await Task.sleep(for: .seconds(3))
        #expect(checkpointer.checkpointsRun == 1, "the pause ran out with no commit after it: no round yet")
        try Self.insert(1, into: pool)
        try await waitFor(.seconds(30)) { try Self.fileSize(path) - before >= 201 * 4000 }
        #expect(checkpointer.checkpointsRun == 2, "the next commit's ring started the round, which copied all 201 rows")
    }

    @Test("A ring set aside during the pause is taken once the writer has been quiet for the interval")
    func setAsideRingTaken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("quiet.sqlite")
        let (pool, checkpointer) = try await Self.attached(path, interval: .milliseconds(300), pause: .seconds(2))
        defer {
            try? pool.close()
            checkpointer.stop()
        }
        let before = try Self.fileSize(path)
        try Self.insert(100, into: pool)
        try await waitFor(.seconds(30)) { checkpointer.checkpointsRun == 1 }
        // The last commit of the burst, in the pause; nothing is written after it.
        try Self.insert(100, into: pool)
        try await waitFor(.seconds(30)) { try Self.fileSize(path) - before >= 200 * 4000 }
        #expect(checkpointer.checkpointsRun == 2)
    }

    @Test("Past the backstop the commit checkpoints inline; below it, no commit does")
    func backstop() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("backstop.sqlite")
        let pool = try DatabasePool(path: path)
        try pool.write { db in try Self.createScratch(db) }
        // A threshold above the backstop: the thread is never woken, so only a commit can copy.
        let checkpointer = try WALCheckpointer(path: path, interval: .seconds(3600), threshold: 10_000, backstop: 200)
        defer {
            try? pool.close()
            checkpointer.stop()
        }
        pool.writeWithoutTransaction { db in checkpointer.attach(to: db) }
        let before = try Self.fileSize(path)
        try Self.insert(150, into: pool)
        #expect(try Self.fileSize(path) == before, "150 frames: the hook only noted them")
        try Self.insert(100, into: pool)
        #expect(try Self.fileSize(path) - before >= 250 * 4000, "250 frames: the commit checkpointed")
        #expect(checkpointer.checkpointsRun == 0)
    }
}
