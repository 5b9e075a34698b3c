import BanshiTesting
import Foundation
import SQLite
import Testing

@testable import BanshiKit

/// A database made with the first event-log schema (an `id` column with a `UNIQUE` index) is
/// migrated in place when a service opens it: every event stays, the service's own indexes on the log
/// stay, and appending goes on from the last `seq`.
@Suite("Event log migration")
struct EventLogMigrationTests {
    /// The service's own migration: an index on a payload member of the log, as the children service has.
    static func serviceMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("service-index") { db in
            try db.execute(sql: "CREATE INDEX event_log_child ON event_log(json_extract(envelope, '$.data.child_id'))")
        }
    }

    /// Writes a database as the first schema left it, with three events.
    static func writeFirstSchema(at path: String) throws -> [(seq: Int64, envelope: String)] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        // The kit's own first migration, then the service's, as a database made before the second was.
        var kit = DatabaseMigrator()
        EventLog.registerMigrations(&kit)
        try kit.migrate(queue, upTo: "banshi-event-log-v1")
        var service = DatabaseMigrator()
        serviceMigrations(&service)
        try service.migrate(queue)
        let events = (1...3).map { seq in
            EventEnvelope(
                service: "children", type: try! Topic("children.case.opened"), time: Timestamp(timeIntervalSince1970: 1_790_000_000),
                subject: "case/\(seq)", data: ["child_id": .string("c-\(seq)")], seq: Int64(seq))
        }
        try queue.write { db in
            for event in events {
                try db.execute(
                    sql: "INSERT INTO event_log (seq, id, envelope) VALUES (?, ?, ?)",
                    arguments: [event.seq, event.id, event.serialized()])
            }
        }
        return events.map { ($0.seq, $0.serialized()) }
    }

    /// The log's column names, and the names of its indexes (SQLite's own for a `UNIQUE` column included).
    static func schema(of database: ServiceDatabase) throws -> (columns: [String], indexes: [String]) {
        try database.writer.read { db in
            let columns = try db.columns(in: "event_log").map(\.name)
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_log' ORDER BY name")
            return (columns, indexes)
        }
    }

    @Test("Opening a first-schema database keeps every event and the service's index, and drops the id column")
    func migratesInPlace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("children.sqlite")
        let logged = try Self.writeFirstSchema(at: path)

        let database = try ServiceDatabase(path: path, migrations: Self.serviceMigrations)
        defer { try? database.close() }
        let (columns, indexes) = try Self.schema(of: database)
        #expect(columns == ["seq", "envelope"])
        #expect(indexes == ["event_log_child"])
        let kept = try database.writer.read { db in try EventLog.since(db, afterSeq: 0, limit: 10) }
        #expect(kept.map(\.seq) == logged.map(\.seq))
        #expect(kept.map(\.envelope) == logged.map(\.envelope))
        let found = try database.writer.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT seq FROM event_log INDEXED BY event_log_child WHERE json_extract(envelope, '$.data.child_id') = 'c-2'")
        }
        #expect(found == [2])
        let appended = try database.writer.write { db in
            var appender = try EventAppender(db: db, service: "children", now: Timestamp(), causationid: nil, correlationid: nil)
            return try appender.emit("children.case.closed", subject: "case/1").seq
        }
        #expect(appended == 4)
    }

    @Test("A new database gets the second schema directly")
    func newDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase(path: directory.file("new.sqlite"), migrations: Self.serviceMigrations)
        defer { try? database.close() }
        let (columns, indexes) = try Self.schema(of: database)
        #expect(columns == ["seq", "envelope"])
        #expect(indexes == ["event_log_child"])
    }
}
