import BanshiKit
import SQLite

/// The petition deadlines, as data for the kit's `deadlines.scan`: each missed deadline emits one
/// overdue event. The procedural and result deadlines are announced once each; the monthly follow-up remembers the due
/// day it was announced for, so each new follow-up deadline can be missed (and announced) again, once.
extension PetitionDeadlines {
    static let eventData: [(member: String, column: String)] = [("petition_id", "id"), ("procuratorate_id", "procuratorate_id")]

    static let scanned: [Deadline] = [
        Deadline(
            "procedural_reply", table: "petition", due: "procedural_due", clock: .day,
            open: "procedural_replied_at IS NULL AND concluded_at IS NULL", memory: .flag("procedural_overdue_emitted"),
            event: "petition.procedural-reply.overdue", subject: "petition/", data: eventData + [("due_on", "procedural_due")]),
        // A missed 3-month deadline also starts the monthly follow-ups, from that day.
        Deadline(
            "result", table: "petition", due: "result_due", clock: .day,
            open: "result_replied_at IS NULL AND concluded_at IS NULL", memory: .flag("result_overdue_emitted"),
            event: "petition.result.overdue", subject: "petition/", data: eventData + [("due_on", "result_due")],
            alsoOnAnnounce: { db, row, _ in
                let due = CalendarDate(row["result_due"] as String)!
                try db.execute(
                    cached: "UPDATE petition SET follow_up_due = COALESCE(follow_up_due, ?) WHERE id = ?",
                    arguments: [PetitionDeadlines.nextFollowUpDue(after: due).description, row["id"] as String])
            }),
        Deadline(
            "follow_up", table: "petition", due: "follow_up_due", clock: .day, open: "concluded_at IS NULL",
            memory: .dueValue("follow_up_overdue_emitted_for"), event: "petition.follow-up.overdue", subject: "petition/",
            data: eventData + [("due_on", "follow_up_due")]),
    ]
}
