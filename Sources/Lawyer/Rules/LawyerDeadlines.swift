import BanshiKit
import SQLite

/// The lawyer program's deadlines, as data for the kit's `deadlines.scan`. Complaints, file reviews and
/// milestones are announced overdue once; an overdue task is escalated once per escalation interval
/// (盯住不放), each escalation an event, for as long as it stays open.
enum LawyerDeadlines {
    static let all: [Deadline] = [
            Deadline(
                "complaint", table: "complaint", due: "due_on", clock: .day, open: "status <> 'handled'", memory: .flag("overdue_emitted"),
                event: "lawyer.complaint.overdue", subject: "complaint/", data: [("complaint_id", "id"), ("due_on", "due_on")]),
            Deadline(
                "file_review", table: "file_review", due: "due_on", clock: .day, open: "status = 'requested'", memory: .flag("overdue_emitted"),
                event: "lawyer.file-review.overdue", subject: "file-review/", data: [("review_id", "id"), ("due_on", "due_on")]),
            Deadline(
                "milestone", table: "milestone", due: "due_on", clock: .day, open: "done_on IS NULL", memory: .flag("overdue_emitted"),
                event: "lawyer.milestone.overdue", subject: "task/", data: [("milestone_id", "id"), ("task_id", "task_id"), ("due_on", "due_on")]),
            // escalate_on starts at the deadline; each escalation moves it to one interval after the scan's
            // day, so the next comes an interval later if the task is still open: once per interval,
            // however often the scan runs or however late it first ran.
            Deadline(
                "escalation", table: "task", due: "escalate_on", clock: .day, open: "status IN ('open', 'in-progress')",
                memory: .dueValue("escalated_for"), event: "lawyer.task.escalated", subject: "task/",
                data: [
                    ("task_id", "id"), ("department", "department"), ("due_on", "deadline"), ("escalate_to", "escalate_to"),
                    ("last_follow_up", "last_follow_up"),
                ],
                // The interval is the task's own, set from escalation_interval_days when it was created.
                alsoOnAnnounce: { db, row, today in
                    try db.execute(
                        cached: """
                            UPDATE task SET escalate_on = date(?, '+' || (escalate_every_days - 1) || ' days'), escalations = escalations + 1
                            WHERE id = ?
                            """,
                        arguments: [today.description, row["id"] as String])
                }),
    ]
}
