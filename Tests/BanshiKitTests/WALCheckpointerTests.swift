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
        let rounds = database.checkpointer.checkpointsRun
        // About 500 frames: past the checkpointer's 256 (1 MiB), short of the 1,000 at which SQLite's
        // automatic checkpoint would have run inside the commit.
        try Self.insert(500, into: database.writer)
        // The file grows when the log is copied into it: by the checkpointer's thread, which may already
        // have run its round (its count says so), never by the commit.
        // (The round is counted before it copies, so the size is read first.)
        if try Self.fileSize(path) - before >= 500 * 4000 {
            #expect(database.checkpointer.checkpointsRun > rounds, "the commit itself copied the log")
        }
        try await waitFor { try Self.fileSize(path) - before >= 500 * 4000 }
        #expect(database.checkpointer.checkpointsRun > rounds, "the checkpointer's thread copied it")
    }

    @Test("The commit that leaves the threshold in the log wakes the thread, which copies it at once")
    func wokenByCommit() async throws {
        // An interval of an hour: only the commit's wake-up can start a round within the test.
        let fixture = try await Attached(interval: .seconds(3600))
        defer { fixture.close() }
        let (pool, checkpointer, path) = (fixture.pool, fixture.checkpointer, fixture.path)
        let before = try Self.fileSize(path)
        try Self.insert(20, into: pool)
        try await Task.sleep(for: .milliseconds(200))
        #expect(checkpointer.checkpointsRun == 0, "20 frames, under the threshold: no round")
        try Self.insert(100, into: pool)
        try await waitFor { try Self.fileSize(path) - before >= 120 * 4000 }
        #expect(checkpointer.checkpointsRun >= 1)
    }

    /// A pool in a directory of its own with the scratch table, and a checkpointer (by default with a
    /// threshold of 50 frames) attached to its writer.
    final class Attached {
        let directory: TemporaryDirectory
        let path: String
        let pool: DatabasePool
        let checkpointer: WALCheckpointer

        init(interval: Duration, pause: Duration = .milliseconds(5), threshold: Int32 = 50, backstop: Int32 = 10_000) async throws {
            directory = try TemporaryDirectory()
            path = directory.file("checkpointed.sqlite")
            pool = try DatabasePool(path: path)
            try await pool.write { db in try WALCheckpointerTests.createScratch(db) }
            let checkpointer = try WALCheckpointer(path: path, interval: interval, pause: pause, threshold: threshold, backstop: backstop)
            self.checkpointer = checkpointer
            try await pool.writeWithoutTransaction { db in checkpointer.attach(to: db) }
        }

        func close() {
            try? pool.close()
            checkpointer.stop()
            directory.remove()
        }
    }

    /// 100 rows and the round they start, then 100 more rows committed within the round's `pause`
    /// (the commit marks the next round due, and its ring is set aside), which then ends. The file's
    /// size before, and whether the commit did land in the pause: held up for longer than the pause
    /// (a minute), it comes after it, and its own ring starts the next round.
    static func roundThenCommitInPause(interval: Duration) async throws -> (Attached, before: Int, landed: Bool) {
        let fixture = try await Attached(interval: interval, pause: .seconds(60))
        do {
            let checkpointer = fixture.checkpointer
            let before = try fileSize(fixture.path)
            try insert(100, into: fixture.pool)
            try await waitFor { checkpointer.checkpointsRun == 1 }
            try insert(100, into: fixture.pool)
            checkpointer.endPause()
            try await waitFor { checkpointer.ringsSetAside == 1 || checkpointer.checkpointsRun == 2 }
            return (fixture, before, checkpointer.ringsSetAside == 1)
        } catch {
            fixture.close()
            throw error
        }
    }

    @Test("After a round and its pause, the next round starts at a commit's ring, not when the pause runs out")
    func nextRoundAtCommit() async throws {
        // An interval of an hour: only a commit's ring can start a round within the test.
        let (fixture, before, landed) = try await Self.roundThenCommitInPause(interval: .seconds(3600))
        defer { fixture.close() }
        try #require(landed, "the commit came after the round's pause of a minute")
        try await Task.sleep(for: .milliseconds(300))
        #expect(fixture.checkpointer.checkpointsRun == 1, "the pause ended with no commit after it: no round yet")
        try Self.insert(1, into: fixture.pool)
        try await waitFor { try Self.fileSize(fixture.path) - before >= 201 * 4000 }
        #expect(fixture.checkpointer.checkpointsRun == 2, "the next commit's ring started the round, which copied all 201 rows")
    }

    @Test("A ring set aside during the pause is taken once the writer has been quiet for the interval")
    func setAsideRingTaken() async throws {
        // Nothing is written after the commit in the pause.
        let (fixture, before, _) = try await Self.roundThenCommitInPause(interval: .milliseconds(300))
        defer { fixture.close() }
        try await waitFor { try Self.fileSize(fixture.path) - before >= 200 * 4000 }
        #expect(fixture.checkpointer.checkpointsRun == 2)
    }

    @Test("Past the backstop the commit checkpoints inline; below it, no commit does")
    func backstop() async throws {
        // A threshold above the backstop: the thread is never woken, so only a commit can copy.
        let fixture = try await Attached(interval: .seconds(3600), threshold: 10_000, backstop: 200)
        defer { fixture.close() }
        let (pool, checkpointer, path) = (fixture.pool, fixture.checkpointer, fixture.path)
        let before = try Self.fileSize(path)
        try Self.insert(150, into: pool)
        #expect(try Self.fileSize(path) == before, "150 frames: the hook only noted them")
        try Self.insert(100, into: pool)
        #expect(try Self.fileSize(path) - before >= 250 * 4000, "250 frames: the commit checkpointed")
        #expect(checkpointer.checkpointsRun == 0)
    }
}
