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
        let db = events.db
        var counts: [String: JSONValue] = [:]

        let interventions = try Row.fetchAll(
            db,
            sql: """
                SELECT id, child_id, intervention_due_at FROM victim_case
                WHERE intervened_at IS NULL AND intervention_overdue_emitted = 0 AND intervention_due_at < ?
                ORDER BY intervention_due_at, id
                """,
            arguments: [now])
        for row in interventions {
            let id: String = row["id"]
            try db.execute(sql: "UPDATE victim_case SET intervention_overdue_emitted = 1 WHERE id = ?", arguments: [id])
            try events.emit(
                "children.intervention.overdue", subject: "case/\(id)",
                data: ["case_id": .string(id), "child_id": .string(row["child_id"] as String), "due_at": .string(row["intervention_due_at"] as String)])
        }
        counts["intervention"] = .int(Int64(interventions.count))

        let measures = try Row.fetchAll(
            db,
            sql: """
                SELECT id, child_id, follow_up_due FROM guardianship_measure
                WHERE outcome IS NULL AND overdue_emitted = 0 AND follow_up_due < ? ORDER BY follow_up_due, id
                """,
            arguments: [now])
        for row in measures {
            let id: String = row["id"]
            try db.execute(sql: "UPDATE guardianship_measure SET overdue_emitted = 1 WHERE id = ?", arguments: [id])
            try events.emit(
                "children.guardianship.overdue", subject: "measure/\(id)",
                data: ["measure_id": .string(id), "child_id": .string(row["child_id"] as String), "due_at": .string(row["follow_up_due"] as String)])
        }
        counts["guardianship"] = .int(Int64(measures.count))

        let remedies = try Row.fetchAll(
            db,
            sql: """
                SELECT id, follow_up_due FROM remedy
                WHERE result IS NULL AND overdue_emitted = 0 AND follow_up_due < ? ORDER BY follow_up_due, id
                """,
            arguments: [now])
        for row in remedies {
            let id: String = row["id"]
            try db.execute(sql: "UPDATE remedy SET overdue_emitted = 1 WHERE id = ?", arguments: [id])
            try events.emit(
                "children.remedy.overdue", subject: "remedy/\(id)",
                data: ["remedy_id": .string(id), "due_at": .string(row["follow_up_due"] as String)])
        }
        counts["remedy"] = .int(Int64(remedies.count))

        let probations = try Row.fetchAll(
            db,
            sql: """
                SELECT id, child_id, probation_ends FROM offender_case
                WHERE status = 'on-probation' AND probation_due_emitted = 0 AND probation_ends < ? ORDER BY probation_ends, id
                """,
            arguments: [today])
        for row in probations {
            let id: String = row["id"]
            try db.execute(sql: "UPDATE offender_case SET probation_due_emitted = 1 WHERE id = ?", arguments: [id])
            try events.emit(
                "children.probation.due", subject: "case/\(id)",
                data: ["case_id": .string(id), "child_id": .string(row["child_id"] as String), "probation_ends": .string(row["probation_ends"] as String)])
        }
        counts["probation"] = .int(Int64(probations.count))
        return ["now": .string(now), "emitted": .object(counts)]
    }
}
