import BanshiTesting
import Dispatch
import SQLite
import Synchronization
import Testing

@testable import BanshiKit

/// What lets a reply acknowledge a command: nothing is released before the commits it follows are
/// on disk.
@Suite("A service's database")
struct ServiceDatabaseTests {
    @Test("The writer is in WAL mode with foreign keys on; readers cannot write")
    func connections() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase(path: directory.file("service/service.sqlite"))
        defer { try? database.close() }
        let (synchronous, journal, foreignKeys) = try database.writer.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        // 1 is NORMAL: the commit writes the log and the durability gate syncs it.
        #expect(synchronous == 1)
        #expect(journal == "wal")
        #expect(foreignKeys == true)
        let error = #expect(throws: DatabaseError.self) {
            try database.writer.read { db in try db.execute(sql: "DELETE FROM event_log") }
        }
        #expect(error?.resultCode == .SQLITE_READONLY)
    }

    @Test("A new database has the page size its service asks for (SQLite's 4 KiB by default); one made before keeps its own, and its checkpointer counts the log's size in it")
    func pageSize() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = try ServiceDatabase(path: directory.file("plain.sqlite"))
        defer { try? plain.close() }
        let large = try ServiceDatabase(path: directory.file("large.sqlite"), pageSize: 16_384)
        defer { try? large.close() }
        let made = directory.file("made-before.sqlite")
        // A database as a service made it before it asked for 16 KiB: SQLite's page size, in WAL mode.
        try DatabasePool(path: made).close()
        let older = try ServiceDatabase(path: made, pageSize: 16_384)
        defer { try? older.close() }
        for (database, size) in [(plain, 4_096), (large, 16_384), (older, 4_096)] {
            let pageSize = try database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
            #expect(pageSize == size)
            // 1 MiB and 120 MiB of log, whatever the page size.
            #expect(Int(database.checkpointer.threshold) * size == 1 << 20)
            #expect(Int(database.checkpointer.backstop) * size == 30_000 * 4_096)
            try database.writer.write { db in
                var events = try EventAppender(db: db, service: "svc", now: Timestamp(), causationid: nil, correlationid: nil)
                try events.emit("svc.probe.written")
            }
            #expect(try database.writer.read { db in try EventLog.lastSeq(db) } == 1)
        }
    }

    @Test("A release queued after a commit runs after a sync of the log that began after it, in order; with no commit since the last sync, at once")
    func gate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase(path: directory.file("service.sqlite")) { migrator in
            migrator.registerMigration("probe") { db in try db.execute(sql: "CREATE TABLE probe (n INTEGER)") }
        }
        defer { try? database.close() }
        let gate = database.gate
        let seen = Mutex<[(label: String, syncs: Int)]>([])
        let done = DispatchSemaphore(value: 0)
        func release(_ label: String) {
            gate.release {
                seen.withLock { $0.append((label, gate.syncCount)) }
                done.signal()
            }
        }
        let before = gate.syncCount
        for n in 1...3 {
            try database.writer.write { db in try db.execute(sql: "INSERT INTO probe VALUES (?)", arguments: [n]) }
            release("write \(n)")
        }
        for _ in 1...3 { done.wait() }
        let afterWrites = seen.withLock { $0 }
        #expect(afterWrites.map(\.label) == ["write 1", "write 2", "write 3"])
        #expect(afterWrites.allSatisfy { $0.syncs > before }, "\(afterWrites)")
        // Nothing committed since: released without another sync.
        let synced = gate.syncCount
        release("read")
        done.wait()
        #expect(seen.withLock { $0.last?.syncs } == synced)
    }
}
