import BanshiKit
import Foundation
import GRDB

/// `deadlines.scan`: emits each `*.overdue` (and `children.probation.due`) event exactly once.
///
/// Each deadline row carries a flag set in the same transaction as its event, so a second scan, a
/// retried scan or the timer and an admin scanning together can never emit it twice. Times are
/// stored in one fixed-width RFC 3339 form, so text comparison orders them.
enum DeadlineCommands {
    static let scan = CommandSpec(
        "deadlines.scan", "emit every deadline passed by `now` that has not been emitted yet (also runs on a timer)"
    ) { context, events in
        let now = Timestamp.format(context.now)
        let today = CalendarDate(context.now).description
        /// Marks the row's flag column: the table and column are this file's own constants.
        func flag(_ table: String, _ column: String) -> (Database, Row) throws -> Void {
            { db, row in try db.execute(sql: "UPDATE \(table) SET \(column) = 1 WHERE id = ?", arguments: [row["id"] as String]) }
        }
        var counts: [String: JSONValue] = [:]
        counts["intervention"] = .int(Int64(try events.sweep(
            """
            SELECT id, child_id, intervention_due_at FROM victim_case
            WHERE intervened_at IS NULL AND intervention_overdue_emitted = 0 AND intervention_due_at < ?
            ORDER BY intervention_due_at, id
            """, [now], mark: flag("victim_case", "intervention_overdue_emitted")
        ) { row in
            OverdueEvent(
                "children.intervention.overdue", subject: "case/\(row["id"] as String)",
                data: ["case_id": .string(row["id"]), "child_id": .string(row["child_id"]), "due_at": .string(row["intervention_due_at"])])
        }))
        counts["guardianship"] = .int(Int64(try events.sweep(
            """
            SELECT id, child_id, follow_up_due FROM guardianship_measure
            WHERE outcome IS NULL AND overdue_emitted = 0 AND follow_up_due < ? ORDER BY follow_up_due, id
            """, [now], mark: flag("guardianship_measure", "overdue_emitted")
        ) { row in
            OverdueEvent(
                "children.guardianship.overdue", subject: "measure/\(row["id"] as String)",
                data: ["measure_id": .string(row["id"]), "child_id": .string(row["child_id"]), "due_at": .string(row["follow_up_due"])])
        }))
        counts["remedy"] = .int(Int64(try events.sweep(
            """
            SELECT id, follow_up_due FROM remedy
            WHERE result IS NULL AND overdue_emitted = 0 AND follow_up_due < ? ORDER BY follow_up_due, id
            """, [now], mark: flag("remedy", "overdue_emitted")
        ) { row in
            OverdueEvent(
                "children.remedy.overdue", subject: "remedy/\(row["id"] as String)",
                data: ["remedy_id": .string(row["id"]), "due_at": .string(row["follow_up_due"])])
        }))
        counts["probation"] = .int(Int64(try events.sweep(
            """
            SELECT id, child_id, probation_ends FROM offender_case
            WHERE status = 'on-probation' AND probation_due_emitted = 0 AND probation_ends < ? ORDER BY probation_ends, id
            """, [today], mark: flag("offender_case", "probation_due_emitted")
        ) { row in
            OverdueEvent(
                "children.probation.due", subject: "case/\(row["id"] as String)",
                data: ["case_id": .string(row["id"]), "child_id": .string(row["child_id"]), "probation_ends": .string(row["probation_ends"])])
        }))
        return ["now": .string(now), "emitted": .object(counts)]
    }
}
