import BanshiKit
import SQLite

/// Practice-rights complaints, handled within their deadline, and online file review (互联网阅卷),
/// arranged within 3 working days of the request, also across regions.
enum PracticeRightsCommands {
    static func all(_ settings: LawyerSettings) -> [CommandSpec] {
        [receive(settings), assign, handle, request(settings), arrange, due(settings)]
    }

    static func receive(_ settings: LawyerSettings) -> CommandSpec {
        CommandSpec(
            "complaint.receive", "receive a lawyer's complaint that a practice right was obstructed; due in \(settings.complaintHandlingDays) days",
            arguments: [
                ArgumentSpec("lawyer_id", .string, required: true, "the lawyer"),
                ArgumentSpec("kind", .string, required: true, choices: ComplaintKind.names, "what was obstructed"),
                ArgumentSpec("description", .string, required: true, "what happened"), ArgumentSpec("received_on", .date, "the day (default: today)"),
            ]
        ) { context, events in
            let lawyer = try Support.existing(events.db, "lawyer", context.arguments, field: "lawyer_id", what: "lawyer")
            let day = try context.pastDay("received_on")
            let due = day.adding(days: settings.complaintHandlingDays)
            let id = OpaqueID.make("PC")
            let kind = try context.arguments.string("kind")
            try events.db.execute(
                cached: "INSERT INTO complaint (id, lawyer_id, kind, description, received_on, due_on, status) VALUES (?, ?, ?, ?, ?, ?, 'received')",
                arguments: [id, lawyer, kind, try context.arguments.text("description"), day.description, due.description])
            try events.emit(
                "lawyer.complaint.received", subject: "complaint/\(id)",
                data: ["complaint_id": .string(id), "kind": .string(kind), "received_on": .string(day.description), "due_on": .string(due.description)])
            return ["complaint_id": .string(id), "due_on": .string(due.description)]
        }
    }

    static let assign = CommandSpec(
        "complaint.assign", "assign a received complaint to the department that handles it",
        arguments: [ArgumentSpec("complaint_id", .string, required: true, "the complaint"), ArgumentSpec("department", .string, required: true, "who handles it")]
    ) { context, events in
        let id = try Support.existing(events.db, "complaint", context.arguments, field: "complaint_id", what: "complaint")
        let status = try String.fetchOne(events.db, cached: "SELECT status FROM complaint WHERE id = ?", arguments: [id])!
        guard status == "received" else { throw CommandError(.conflict, "complaint \(id) is \(status); only a received one is assigned", field: "complaint_id") }
        try events.db.execute(cached: "UPDATE complaint SET status = 'assigned', assigned_to = ? WHERE id = ?", arguments: [try context.arguments.text("department"), id])
        try events.emit("lawyer.complaint.assigned", subject: "complaint/\(id)", data: ["complaint_id": .string(id)])
        return ["complaint_id": .string(id), "status": "assigned"]
    }

    static let handle = CommandSpec(
        "complaint.handle", "record how a complaint was handled; in time when on or before its due day",
        arguments: [
            ArgumentSpec("complaint_id", .string, required: true, "the complaint"), ArgumentSpec("outcome", .string, required: true, "what was done"),
            ArgumentSpec("handled_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let id = try Support.existing(events.db, "complaint", context.arguments, field: "complaint_id", what: "complaint")
        let row = try Row.fetchOne(events.db, cached: "SELECT status, due_on, received_on FROM complaint WHERE id = ?", arguments: [id])!
        guard (row[0] as String) == "assigned" else {
            throw CommandError(.conflict, "complaint \(id) is \(row[0] as String); it is handled once assigned", field: "complaint_id")
        }
        let day = try context.pastDay("handled_on", notBefore: CalendarDate(row[2] as String), "the complaint was received")
        let onTime = day <= CalendarDate(row[1] as String)!
        try events.db.execute(
            cached: "UPDATE complaint SET status = 'handled', outcome = ?, handled_on = ?, on_time = ? WHERE id = ?",
            arguments: [try context.arguments.text("outcome"), day.description, onTime, id])
        try events.emit(
            "lawyer.complaint.handled", subject: "complaint/\(id)",
            data: ["complaint_id": .string(id), "handled_on": .string(day.description), "due_on": .string(row[1] as String), "on_time": .bool(onTime)])
        return ["complaint_id": .string(id), "on_time": .bool(onTime)]
    }

    static func request(_ settings: LawyerSettings) -> CommandSpec {
        CommandSpec(
            "file-review.request",
            "a lawyer asks to review a case's files online: due in \(settings.fileReviewWorkingDays) working days; a sealed juvenile record is refused",
            arguments: [
                ArgumentSpec("lawyer_id", .string, required: true, "the lawyer"), ArgumentSpec("case_number", .string, required: true, "the case"),
                ArgumentSpec("requested_on", .date, "the day (default: today)"),
                ArgumentSpec("partner_region", .string, choices: settings.partnerRegions, "cross-region: the region of the partner procuratorate"),
                ArgumentSpec("partner_procuratorate", .string, "cross-region: the partner procuratorate"),
                ArgumentSpec("sealed_juvenile_record", .boolean, "the files are a sealed juvenile criminal record (the request is refused)"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let lawyer = try Support.existing(events.db, "lawyer", arguments, field: "lawyer_id", what: "lawyer")
            let day = try context.pastDay("requested_on")
            let region = arguments.optionalString("partner_region")
            let partner = arguments.optionalString("partner_procuratorate")
            guard (region == nil) == (partner == nil) else {
                throw CommandError(.invalidArgument, "a cross-region request names both partner_region and partner_procuratorate", field: region == nil ? "partner_region" : "partner_procuratorate")
            }
            let due = try settings.calendar.workingDays(settings.fileReviewWorkingDays, after: day)
            let sealed = arguments.bool("sealed_juvenile_record", default: false)
            let id = OpaqueID.make("FR")
            try events.db.execute(
                cached: """
                    INSERT INTO file_review (id, lawyer_id, case_number, partner_region, partner_procuratorate, requested_on, due_on, status, refusal_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, lawyer, try arguments.text("case_number"), region, partner, day.description, due.description,
                    sealed ? "refused" : "requested", sealed ? RefusalReason.sealedJuvenileRecord.rawValue : nil,
                ])
            var data: [String: JSONValue] = [
                "review_id": .string(id), "requested_on": .string(day.description), "due_on": .string(due.description),
                "cross_region": .bool(region != nil),
            ]
            if let region { data["partner_region"] = .string(region) }
            try events.emit("lawyer.file-review.requested", subject: "file-review/\(id)", data: .object(data))
            if sealed {
                // Refused with the reason, on the record: the law closes a sealed juvenile record to review.
                try events.emit(
                    "lawyer.file-review.refused", subject: "file-review/\(id)",
                    data: ["review_id": .string(id), "reason": .string(RefusalReason.sealedJuvenileRecord.rawValue)])
                return [
                    "review_id": .string(id), "status": "refused", "reason": .string(RefusalReason.sealedJuvenileRecord.rawValue),
                    "explanation": "the files are a sealed juvenile criminal record (未成年人犯罪记录封存), closed to review",
                ]
            }
            return ["review_id": .string(id), "status": "requested", "due_on": .string(due.description)]
        }
    }

    static let arrange = CommandSpec(
        "file-review.arrange", "record that the file review was arranged; on time when on or before its due working day",
        arguments: [ArgumentSpec("review_id", .string, required: true, "the request"), ArgumentSpec("arranged_on", .date, "the day (default: today)")]
    ) { context, events in
        let id = try Support.existing(events.db, "file_review", context.arguments, field: "review_id", what: "file-review request")
        let row = try Row.fetchOne(events.db, cached: "SELECT status, due_on, requested_on FROM file_review WHERE id = ?", arguments: [id])!
        guard (row[0] as String) == "requested" else {
            throw CommandError(.conflict, "file review \(id) is \(row[0] as String) already", field: "review_id")
        }
        let day = try context.pastDay("arranged_on", notBefore: CalendarDate(row[2] as String), "the review was requested")
        let onTime = day <= CalendarDate(row[1] as String)!
        try events.db.execute(cached: "UPDATE file_review SET status = 'arranged', arranged_on = ?, on_time = ? WHERE id = ?", arguments: [day.description, onTime, id])
        try events.emit(
            "lawyer.file-review.arranged", subject: "file-review/\(id)",
            data: ["review_id": .string(id), "arranged_on": .string(day.description), "due_on": .string(row[1] as String), "on_time": .bool(onTime)])
        return ["review_id": .string(id), "on_time": .bool(onTime)]
    }

    /// The file-review view the desk works from: what is due today, and what is overdue.
    static func due(_ settings: LawyerSettings) -> CommandSpec {
        CommandSpec("file-review.due", "pending file-review requests due today, and those overdue (by `now`)") { context in
            let today = CalendarDate(context.now).description
            return try await context.read { db in
                [
                    "today": .string(today),
                    "due_today": try LawyerViews.fileReview.all(db, where: "status = 'requested' AND due_on = ?", [today], order: "requested_on, id"),
                    "overdue": try LawyerViews.fileReview.all(db, where: "status = 'requested' AND due_on < ?", [today], order: "due_on, id"),
                    "columns": LawyerViews.fileReview.columnsValue,
                ]
            }
        }
    }
}
