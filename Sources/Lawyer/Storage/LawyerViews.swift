import BanshiKit

/// What each lawyer table shows on the wire, and the listings over them.
enum LawyerViews {
    static let firm = RecordView("firm", [.init("id", title: "FIRM"), .init("name"), .init("region"), .init("registered_at", title: "REGISTERED")])
    static let lawyer = RecordView("lawyer", [
        .init("id", title: "LAWYER"), .init("name"), .init("licence"), .init("firm_id", title: "FIRM"), .init("duty", .boolean),
        .init("capacity", .integer), .init("available", .boolean),
        .init("open_assignments", .integer, title: "OPEN", expression: "(SELECT COUNT(*) FROM duty_assignment a WHERE a.lawyer_id = lawyer.id AND a.closed_at IS NULL)"),
    ])
    static let visit = RecordView("firm_visit", [
        .init("id", title: "VISIT"), .init("firm_id", title: "FIRM"), .init("visited_on", title: "ON"), .init("procuratorate"), .init("notes"),
    ])
    static let opinion = RecordView("opinion", [
        .init("id", title: "OPINION"), .init("lawyer_id", title: "LAWYER"), .init("topic"), .init("content"), .init("received_on", title: "RECEIVED"),
        .init("response"), .init("responded_by", title: "BY"), .init("responded_on", title: "RESPONDED"),
    ])
    static let complaint = RecordView("complaint", [
        .init("id", title: "COMPLAINT"), .init("lawyer_id", title: "LAWYER"), .init("kind"), .init("status"), .init("received_on", title: "RECEIVED"),
        .init("due_on", title: "DUE"), .init("assigned_to", title: "ASSIGNED TO"), .init("outcome"), .init("handled_on", title: "HANDLED"),
        .init("on_time", .boolean),
    ])
    static let fileReview = RecordView("file_review", [
        .init("id", title: "REVIEW"), .init("lawyer_id", title: "LAWYER"), .init("case_number", title: "CASE"), .init("status"),
        .init("partner_region", title: "REGION"), .init("partner_procuratorate", title: "PARTNER"), .init("requested_on", title: "REQUESTED"),
        .init("due_on", title: "DUE"), .init("arranged_on", title: "ARRANGED"), .init("on_time", .boolean), .init("refusal_reason", title: "REFUSED"),
    ])
    static let task = RecordView("task", [
        .init("id", title: "TASK"), .init("department"), .init("item"), .init("deadline"), .init("status"), .init("measure"),
        .init("last_follow_up", title: "FOLLOWED UP"), .init("escalations", .integer, title: "ESC."), .init("meeting_id", title: "MEETING"),
        .init("drop_reason"), .init("created_on", title: "CREATED"), .init("done_on", title: "DONE"),
    ])
    static let milestone = RecordView("milestone", [
        .init("id", title: "MILESTONE"), .init("task_id", title: "TASK"), .init("title"), .init("due_on", title: "DUE"), .init("added_on", title: "ADDED"),
        .init("done_on", title: "DONE"),
    ])
    static let followUp = RecordView("follow_up", [.init("noted_on", title: "ON"), .init("note")])
    static let meeting = RecordView("meeting", [.init("id", title: "MEETING"), .init("held_on", title: "ON"), .init("parties"), .init("summary")])
    static let assignment = RecordView("duty_assignment", [
        .init("id", title: "ASSIGNMENT"), .init("lawyer_id", title: "LAWYER"), .init("source_service", title: "FROM"),
        .init("source_ref", title: "REQUEST"), .init("case_ref", title: "CASE"), .init("assigned_at", title: "ASSIGNED"),
        .init("closed_at", title: "CLOSED"),
    ])

    static let listings: [CommandSpec] = [
        Listing("firm.list", "law firms, by name", member: "firms", view: firm, filters: [.init("region", "only this region")], order: "name"),
        Listing(
            "lawyer.list", "lawyers, by name; the duty roster with open assignments", member: "lawyers", view: lawyer,
            filters: [.init("firm_id", "only this firm's"), .init("duty", choices: ["0", "1"], "1: the duty roster only")], order: "name, id"),
        Listing("visit.list", "visits to law firms, newest first", member: "visits", view: visit, filters: [.init("firm_id", "only this firm")], order: "visited_on DESC, id"),
        Listing(
            "opinion.list", "lawyers' opinions, unanswered first", member: "opinions", view: opinion,
            filters: [.init("topic", choices: OpinionTopic.names, "only this topic")], order: "responded_on IS NOT NULL, received_on, id"),
        Listing(
            "complaint.list", "practice-rights complaints, open ones by due day first", member: "complaints", view: complaint,
            filters: [.init("status", choices: ComplaintStatus.names, "only in this status")], order: "status = 'handled', due_on, id"),
        Listing(
            "file-review.list", "online file-review requests, pending ones by due day first (overdue, then due today)", member: "reviews",
            view: fileReview, filters: [.init("status", choices: FileReviewStatus.names, "only in this status"), .init("partner_region", "only this region")],
            order: "status <> 'requested', due_on, id"),
        Listing(
            "task.list", "the task book by department, open tasks by deadline first (overdue at the top)", member: "tasks", view: task,
            filters: [.init("department", "only this department"), .init("status", choices: TaskStatus.names, "only in this status")],
            order: "department, status IN ('done', 'dropped'), deadline, id"),
        Listing(
            "milestone.list", "milestones, open ones by due day first", member: "milestones", view: milestone,
            filters: [.init("task_id", "only this task's")], order: "done_on IS NOT NULL, due_on, id"),
        Listing("meeting.list", "joint meetings, newest first", member: "meetings", view: meeting, order: "held_on DESC, id"),
        Listing(
            "assignment.list", "duty-lawyer assignments, open first", member: "assignments", view: assignment,
            filters: [.init("lawyer_id", "only this lawyer's"), .init("source_service", "only those from this service")],
            order: "closed_at IS NOT NULL, assigned_at, id"),
    ].map(\.spec)
}
