import BanshiKit
import BanshiTesting
import Lawyer
import SQLite
import Testing

/// lawyer-v2 dates the tasks and milestones stored before it, so that their steps are bounded too.
@Suite("Lawyer migrations")
struct LawyerMigrationTests {
    @Test("lawyer-v2 dates stored tasks and milestones: a meeting's tasks by its day, the others by their event's day in China, NULL without one")
    func creationDays() throws {
        let migrator = ServiceDatabase.migrator(LawyerService.definition.migrations)
        let queue = try DatabaseQueue()
        try migrator.migrate(queue, upTo: "lawyer-v1")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO meeting (id, held_on, parties, summary) VALUES ('JM-1', '2026-02-20', '司法局', 'x')")
            for (id, meeting) in [("TK-MEETING", "JM-1"), ("TK-ALONE", nil), ("TK-UNLOGGED", nil)] {
                try db.execute(
                    sql: """
                        INSERT INTO task (id, meeting_id, item, department, deadline, measure, status, escalate_on, escalate_to, escalate_every_days)
                        VALUES (?, ?, 'x', 'x', '2026-06-30', 'x', 'open', '2026-06-30', 'x', 7)
                        """,
                    arguments: [id, meeting])
            }
            try db.execute(sql: "INSERT INTO milestone (id, task_id, title, due_on) VALUES ('MS-1', 'TK-ALONE', 'x', '2026-05-01')")
            // 18:00 UTC is the next morning in China; the meeting's task was announced days after the meeting.
            let announced: [(String, String, JSONValue)] = [
                ("lawyer.task.created", "2026-03-01T10:00:00Z", ["task_id": "TK-MEETING", "meeting_id": "JM-1"]),
                ("lawyer.task.created", "2026-03-01T18:00:00Z", ["task_id": "TK-ALONE"]),
                ("lawyer.milestone.added", "2026-03-03T17:00:00Z", ["milestone_id": "MS-1", "task_id": "TK-ALONE"]),
                ("lawyer.task.followed-up", "2026-01-01T00:00:00Z", ["task_id": "TK-UNLOGGED"]),
            ]
            for (seq, (type, time, data)) in announced.enumerated() {
                let envelope = EventEnvelope(
                    service: "lawyer", type: try Topic(type), time: Timestamp.parse(time)!, subject: nil, data: data, seq: Int64(seq + 1))
                try db.execute(sql: "INSERT INTO event_log (seq, envelope) VALUES (?, ?)", arguments: [envelope.seq, envelope.serialized()])
            }
        }
        try migrator.migrate(queue)
        try queue.read { db in
            let tasks = try Row.fetchAll(db, sql: "SELECT id, created_on FROM task ORDER BY id").map { [$0[0] as String, $0[1] as String? ?? "NULL"] }
            #expect(tasks == [["TK-ALONE", "2026-03-02"], ["TK-MEETING", "2026-02-20"], ["TK-UNLOGGED", "NULL"]])
            #expect(try String.fetchOne(db, sql: "SELECT added_on FROM milestone WHERE id = 'MS-1'") == "2026-03-04")
            #expect(try Bool.fetchOne(db, sql: "SELECT count(*) FROM sqlite_temp_master WHERE name = 'announced'") == false)
        }
    }
}
