import BanshiKit

/// Every event the lawyer service publishes: opaque ids, codes and days; no lawyer's name, no
/// complaint's or opinion's text.
public enum LawyerEvents {
    static let lawyerID = FieldSpec("lawyer_id", .string, "the lawyer's opaque id")
    static let complaintID = FieldSpec("complaint_id", .string, "the complaint's id")
    static let reviewID = FieldSpec("review_id", .string, "the file-review request's id")
    static let taskID = FieldSpec("task_id", .string, "the task's id")
    static let milestoneID = FieldSpec("milestone_id", .string, "the milestone's id")
    static let opinion = [FieldSpec("opinion_id", .string, "the opinion's id"), FieldSpec("topic", .string, choices: OpinionTopic.names, "what it is about")]

    public static let catalog = EventCatalog(service: "lawyer", events: [
        EventSpec("lawyer.firm.registered", "A law firm was registered.", subject: "firm/{firm_id}", fields: [FieldSpec("firm_id", .string, "the firm's id")]),
        EventSpec(
            "lawyer.lawyer.registered", "A lawyer was registered, on the duty roster or not.", subject: "lawyer/{lawyer_id}",
            fields: [lawyerID, FieldSpec("firm_id", .string, "the firm"), FieldSpec("duty", .boolean, "on the duty roster"), FieldSpec("capacity", .integer, "open assignments at once")]),
        EventSpec(
            "lawyer.firm.visited", "Prosecutors visited a law firm.", subject: "firm/{firm_id}",
            fields: [FieldSpec("visit_id", .string, "the visit"), FieldSpec("firm_id", .string, "the firm"), FieldSpec("visited_on", .date, "the day")]),
        EventSpec("lawyer.opinion.received", "A lawyer's opinion was received.", subject: "opinion/{opinion_id}", fields: opinion),
        EventSpec("lawyer.opinion.responded", "A lawyer's opinion was responded to.", subject: "opinion/{opinion_id}", fields: opinion),
        EventSpec(
            "lawyer.complaint.received", "A practice-rights complaint was received; it is due by a day.", subject: "complaint/{complaint_id}",
            fields: [complaintID, FieldSpec("kind", .string, choices: ComplaintKind.names, "what was obstructed"), FieldSpec("received_on", .date, "the day"), FieldSpec("due_on", .date, "the last day to handle it")]),
        EventSpec("lawyer.complaint.assigned", "A complaint was assigned to the department that handles it.", subject: "complaint/{complaint_id}", fields: [complaintID]),
        EventSpec(
            "lawyer.complaint.handled", "A complaint was handled.", subject: "complaint/{complaint_id}",
            fields: [complaintID, FieldSpec("handled_on", .date, "the day"), FieldSpec("due_on", .date, "the day it was due"), FieldSpec("on_time", .boolean, "whether by its due day")]),
        EventSpec("lawyer.complaint.overdue", "A complaint passed its due day unhandled.", subject: "complaint/{complaint_id}", fields: [complaintID, FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "lawyer.file-review.requested", "A lawyer asked to review a case's files online; due in working days.", subject: "file-review/{review_id}",
            fields: [
                reviewID, FieldSpec("requested_on", .date, "the day"), FieldSpec("due_on", .date, "the last working day to arrange it"),
                FieldSpec("cross_region", .boolean, "a partner procuratorate in another region holds the files"),
                FieldSpec("partner_region", .string, required: false, "the partner's region"),
            ]),
        EventSpec(
            "lawyer.file-review.refused", "A file-review request was refused, with the reason.", subject: "file-review/{review_id}",
            fields: [reviewID, FieldSpec("reason", .string, choices: RefusalReason.names, "why")]),
        EventSpec(
            "lawyer.file-review.arranged", "A file review was arranged.", subject: "file-review/{review_id}",
            fields: [reviewID, FieldSpec("arranged_on", .date, "the day"), FieldSpec("due_on", .date, "the day it was due"), FieldSpec("on_time", .boolean, "whether by its due working day")]),
        EventSpec("lawyer.file-review.overdue", "A file-review request passed its due working day.", subject: "file-review/{review_id}", fields: [reviewID, FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "lawyer.meeting.held", "A joint meeting was held; its resolutions became tasks.", subject: "meeting/{meeting_id}",
            fields: [FieldSpec("meeting_id", .string, "the meeting"), FieldSpec("held_on", .date, "the day"), FieldSpec("resolutions", .integer, "how many tasks it made")]),
        EventSpec(
            "lawyer.task.created", "A task entered the task book.", subject: "task/{task_id}",
            fields: [taskID, FieldSpec("deadline", .date, "the day it is due"), FieldSpec("meeting_id", .string, required: false, "the meeting it came from")]),
        EventSpec("lawyer.task.followed-up", "A task was followed up.", subject: "task/{task_id}", fields: [taskID, FieldSpec("noted_on", .date, "the day")]),
        EventSpec(
            "lawyer.task.updated", "A task moved on: in progress, done or dropped.", subject: "task/{task_id}",
            fields: [taskID, FieldSpec("status", .string, choices: TaskStatus.names, "its status now")]),
        EventSpec(
            "lawyer.task.escalated", "An overdue task was escalated (once per escalation interval while it stays open).", subject: "task/{task_id}",
            fields: [
                taskID, FieldSpec("department", .string, "who answers for it"), FieldSpec("due_on", .date, "its deadline"),
                FieldSpec("escalate_to", .string, "who it was escalated to"),
                FieldSpec("last_follow_up", .date, required: false, "the day of its last follow-up, if any"),
            ]),
        EventSpec(
            "lawyer.milestone.added", "A milestone was added to a task.", subject: "task/{task_id}",
            fields: [milestoneID, taskID, FieldSpec("due_on", .date, "its due day")]),
        EventSpec(
            "lawyer.milestone.done", "A milestone was reached.", subject: "task/{task_id}",
            fields: [milestoneID, taskID, FieldSpec("on_time", .boolean, "whether by its due day")]),
        EventSpec(
            "lawyer.milestone.overdue", "A milestone passed its due day.", subject: "task/{task_id}",
            fields: [milestoneID, taskID, FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "lawyer.duty-lawyer.assigned", "A duty lawyer was assigned to another service's legal-aid request (rule 2).", subject: "lawyer/{lawyer_id}",
            fields: [
                FieldSpec("assignment_id", .string, "the assignment"), lawyerID, FieldSpec("source_service", .string, "the service that asked"),
                FieldSpec("source_ref", .string, "its request id"), FieldSpec("case_ref", .string, required: false, "its case id"),
            ]),
        EventSpec(
            "lawyer.duty-assignment.closed", "A duty-lawyer assignment was closed.", subject: "lawyer/{lawyer_id}",
            fields: [FieldSpec("assignment_id", .string, "the assignment"), lawyerID]),
        EventSpec(
            "lawyer.duty-lawyer.updated", "A lawyer's place on the duty roster changed.", subject: "lawyer/{lawyer_id}",
            fields: [lawyerID, FieldSpec("duty", .boolean, "on the roster"), FieldSpec("capacity", .integer, "open assignments at once"), FieldSpec("available", .boolean, "available now")]),
    ])
}
