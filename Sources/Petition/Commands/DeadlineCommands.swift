import BanshiKit
import Foundation
import GRDB

/// `deadlines.scan`: each missed petition deadline emits one overdue event.
///
/// The procedural and result deadlines have a flag each; the monthly follow-up remembers the due day
/// it was emitted for, so a new follow-up deadline can be missed (and emitted) again, each once.
enum DeadlineCommands {
    static let scan = CommandSpec(
        "deadlines.scan", "emit every petition deadline missed by `now` and not yet emitted (also runs on a timer)"
    ) { context, events in
        let today = CalendarDate(context.now).description
        var counts: [String: JSONValue] = [:]
        counts["procedural_reply"] = .int(Int64(try events.sweep(
            """
            SELECT id, procuratorate_id, procedural_due FROM petition
            WHERE procedural_replied_at IS NULL AND concluded_at IS NULL AND procedural_overdue_emitted = 0 AND procedural_due < ?
            ORDER BY procedural_due, id
            """, [today],
            mark: { db, row in
                try db.execute(sql: "UPDATE petition SET procedural_overdue_emitted = 1 WHERE id = ?", arguments: [row["id"] as String])
            }
        ) { overdue("petition.procedural-reply.overdue", $0, due: "procedural_due") }))

        // A missed 3-month deadline also starts the monthly follow-ups, from that day.
        counts["result"] = .int(Int64(try events.sweep(
            """
            SELECT id, procuratorate_id, result_due FROM petition
            WHERE result_replied_at IS NULL AND concluded_at IS NULL AND result_overdue_emitted = 0 AND result_due < ?
            ORDER BY result_due, id
            """, [today],
            mark: { db, row in
                let due = CalendarDate(row["result_due"] as String)!
                try db.execute(
                    sql: "UPDATE petition SET result_overdue_emitted = 1, follow_up_due = COALESCE(follow_up_due, ?) WHERE id = ?",
                    arguments: [PetitionDeadlines.nextFollowUpDue(after: due).description, row["id"] as String])
            }
        ) { overdue("petition.result.overdue", $0, due: "result_due") }))

        counts["follow_up"] = .int(Int64(try events.sweep(
            """
            SELECT id, procuratorate_id, follow_up_due FROM petition
            WHERE concluded_at IS NULL AND follow_up_due IS NOT NULL AND follow_up_due < ?
              AND (follow_up_overdue_emitted_for IS NULL OR follow_up_overdue_emitted_for <> follow_up_due)
            ORDER BY follow_up_due, id
            """, [today],
            mark: { db, row in
                try db.execute(
                    sql: "UPDATE petition SET follow_up_overdue_emitted_for = follow_up_due WHERE id = ?", arguments: [row["id"] as String])
            }
        ) { overdue("petition.follow-up.overdue", $0, due: "follow_up_due") }))
        return ["today": .string(today), "emitted": .object(counts)]
    }

    private static func overdue(_ type: String, _ row: Row, due column: String) -> OverdueEvent {
        let id: String = row["id"]
        return OverdueEvent(
            type, subject: "petition/\(id)",
            data: [
                "petition_id": .string(id), "procuratorate_id": .string(row["procuratorate_id"] as String),
                "due_on": .string(row[column] as String),
            ])
    }
}
