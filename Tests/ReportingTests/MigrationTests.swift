import BanshiKit
import BanshiTesting
import Foundation
import SQLite
import Reporting
import Testing

/// The reporting schema holds still, and the migration that rebuilds the history keeps every event.
@Suite("Reporting migrations")
struct ReportingMigrationTests {
    static let snapshotFile = "Tests/ReportingTests/Snapshots/reporting-migrations.sql"

    @Test("Each migration makes exactly the schema in the snapshot: a shipped migration never changes")
    func snapshot() throws {
        let text = try ServiceDatabase.schemaSnapshot(ReportingService.definition.migrations)
        let difference = try SchemaSnapshot.compare(text, with: Self.snapshotFile)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("reporting-v3 and v4 keep every stored event with its position, and drop only the indexes on the event id and on the type")
    func historyWithoutIDIndex() throws {
        var migrator = DatabaseMigrator()
        ReportingService.definition.migrations(&migrator)
        let queue = try DatabaseQueue()
        try migrator.migrate(queue, upTo: "reporting-v2")
        let envelope = #"{"specversion":"1.0","id":"e-1","data":{"child_id":"CH-1"}}"#
        try queue.write { db in
            // Positions with a hole, as deletions (a replaced forgery) leave them.
            for (n, source, seq, id) in [(1, "children", 1, "e-1"), (2, "petition", 1, "e-2"), (5, "children", 2, "e-3")] {
                try db.execute(
                    sql: """
                        INSERT INTO history (n, source, seq, id, type, subject, time, correlation_id, causation_id, envelope)
                        VALUES (?, ?, ?, ?, 'children.child.registered', 'CH-1', '2026-11-30T01:00:00.000Z', ?, NULL, ?)
                        """,
                    arguments: [n, source, seq, id, id, envelope])
            }
        }
        let before = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM history ORDER BY n") }
        try migrator.migrate(queue)
        try queue.read { db in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM history ORDER BY n") == before)
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history' ORDER BY name")
            #expect(indexes == ["history_correlation", "history_subject", "history_time", "sqlite_autoindex_history_1"])
            // The one automatic index left is (source, seq).
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('sqlite_autoindex_history_1') ORDER BY seqno")
            #expect(columns == ["source", "seq"])
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
        // (source, seq) still holds each event once.
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO history (source, seq, id, type, time, correlation_id, envelope)
                        VALUES ('children', 2, 'e-9', 't.a.b', '2026-11-30T01:00:00.000Z', 'e-9', '{}')
                        """)
            }
        }
    }
}
