import BanshiTesting
import Foundation
import SQLite
import Testing

@testable import BanshiKit

/// A program's timelines: the appender keys each event by the catalog's member as it logs it, and a
/// database whose timelines were an index on the log's JSON is keyed in place when it is opened.
@Suite("Event timelines")
struct EventTimelineTests {
    static let catalog = EventCatalog(service: "children", timeline: "child_id", events: [
        EventSpec("children.case.opened", "A case was opened.", subject: "case/{case_id}", fields: [
            FieldSpec("case_id", .string, "the case"), FieldSpec("child_id", .string, required: false, "the child"),
        ])
    ])

    /// The service's migrations as a program had them: its first made the index on the log's JSON,
    /// its second keys the timelines instead.
    static func firstMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("service-v1") { db in
            try db.execute(sql: """
                CREATE INDEX event_log_child ON event_log(json_extract(envelope, '$.data.child_id'))
                    WHERE json_extract(envelope, '$.data.child_id') IS NOT NULL
                """)
        }
    }

    static func bothMigrations(_ migrator: inout DatabaseMigrator) {
        firstMigration(&migrator)
        migrator.registerMigration("service-v2") { db in
            try EventTimeline.adopt(db, member: "child_id", replacing: "event_log_child")
        }
    }

    static func keyed(_ database: ServiceDatabase) throws -> [String] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT key, seq FROM event_timeline ORDER BY key, seq")
                .map { "\($0[0] as String)@\($0[1] as Int64)" }
        }
    }

    @Test("Each event is keyed by the member as it is logged, when the member is text; a timeline reads them in order")
    func appenderKeys() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase(path: directory.file("children.sqlite"))
        defer { try? database.close() }
        try database.writer.write { db in
            var appender = try EventAppender(
                db: db, service: "children", now: Timestamp(timeIntervalSince1970: 1_790_000_000), causationid: nil, correlationid: nil,
                catalog: Self.catalog)
            for (index, child) in ["c-1", "c-2", "c-1", nil].enumerated() {
                var data: [String: JSONValue] = ["case_id": .string("k-\(index + 1)")]
                if let child { data["child_id"] = .string(child) }
                try appender.emit("children.case.opened", subject: "case/k-\(index + 1)", data: .object(data))
            }
        }
        #expect(try Self.keyed(database) == ["c-1@1", "c-1@3", "c-2@2"])
        let timeline = try database.writer.read { db in try EventTimeline.events(db, key: "c-1") }
        #expect(timeline.map { $0["seq"] } == [1, 3])
        #expect(timeline.first?["type"] == "children.case.opened")
        #expect(timeline.first?["subject"] == "case/k-1")
        #expect(timeline.first?["time"]?.stringValue?.hasPrefix("2026-09-21T") == true)
        #expect(timeline.last?["data"] == ["case_id": "k-3", "child_id": "c-1"])
        #expect(try database.writer.read { db in try EventTimeline.events(db, key: "c-9") }.isEmpty)
    }

    @Test("Opening a database whose timelines were an index on the log's JSON keys every logged event and drops the index")
    func adoptsTheLog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("children.sqlite")
        // Made before the kit kept timelines: the kit's migrations up to the audit log, then the service's first.
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            try ServiceDatabase.migrator(Self.firstMigration).migrate(queue, upTo: "kit-audit-v1")
            var service = DatabaseMigrator()
            Self.firstMigration(&service)
            try service.migrate(queue)
            let members: [JSONValue] = ["c-1", "c-2", 7, .null, "c-1"]
            try queue.write { db in
                for (index, member) in members.enumerated() {
                    let seq = Int64(index + 1)
                    let envelope = EventEnvelope(
                        service: "children", type: try! Topic("children.case.opened"),
                        time: Timestamp(timeIntervalSince1970: 1_790_000_000), subject: "case/\(seq)",
                        data: ["case_id": .string("k-\(seq)"), "child_id": member], seq: seq)
                    try db.execute(sql: "INSERT INTO event_log (seq, envelope) VALUES (?, ?)", arguments: [seq, envelope.serialized()])
                }
            }
        }
        let database = try ServiceDatabase(path: path, migrations: Self.bothMigrations)
        defer { try? database.close() }
        #expect(try Self.keyed(database) == ["c-1@1", "c-1@5", "c-2@2"])
        let indexes = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_log'")
        }
        #expect(indexes.isEmpty)
        let timeline = try database.writer.read { db in try EventTimeline.events(db, key: "c-1") }
        #expect(timeline.map { $0["data"]?["case_id"] } == ["k-1", "k-5"])
    }
}
