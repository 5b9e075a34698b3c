import BanshiKit
import SQLite

/// Petitions: received, replied to within their deadlines, followed up monthly until concluded.
enum PetitionCommands {
    static let all = [receive, reply, followUp, get, list]

    static let receive = CommandSpec(
        "petition.receive", "receive a petition; the 7-day and 3-month deadlines run from the day of receipt",
        arguments: [
            ArgumentSpec("petitioner_name", .string, required: true, "the petitioner; stays in this service"),
            ArgumentSpec("contact", .string, "how to reach the petitioner"),
            ArgumentSpec("category", .string, required: true, choices: PetitionCategory.names, "the 12309 category"),
            ArgumentSpec("summary", .string, required: true, "what the petition asks"),
            ArgumentSpec("procuratorate_id", .string, required: true, "the procuratorate handling it"),
            ArgumentSpec(
                "received_at", .time,
                "when it came in (a letter's arrival), within the past year; the deadlines run from its day (default: now)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let procuratorate = try arguments.string("procuratorate_id")
        try events.db.requireRecord("procuratorate", id: procuratorate, what: "procuratorate", field: "procuratorate_id")
        let received = try context.pastTime("received_at")
        let day = CalendarDate(received)
        let proceduralDue = PetitionDeadlines.proceduralReplyDue(receivedOn: day)
        let resultDue = PetitionDeadlines.resultDue(receivedOn: day)
        let id = OpaqueID.make("PT")
        let category = try arguments.string("category")
        // Bound through SQLite's C API: a third of the petition window's writes are receipts.
        try events.db.executeBound(
            """
            INSERT INTO petition (id, petitioner_name, contact, category, summary, procuratorate_id, received_at, received_on,
                                  recorded_at, status, procedural_due, result_due)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)
            """,
            [
                .text(id), .text(try arguments.text("petitioner_name")), .optional(arguments.optionalString("contact")), .text(category),
                .text(try arguments.text("summary")), .text(procuratorate), .text(Timestamp.format(received)), .text(day.description),
                .text(Timestamp.format(context.now)), .text(proceduralDue.description), .text(resultDue.description),
            ])
        let data: JSONValue = [
            "petition_id": .string(id), "category": .string(category), "procuratorate_id": .string(procuratorate),
            "received_on": .string(day.description),
            "procedural_due": .string(proceduralDue.description), "result_due": .string(resultDue.description),
        ]
        try events.emit("petition.petition.received", subject: "petition/\(id)", data: data)
        return data
    }

    static func petition(_ db: Database, _ arguments: Arguments) throws -> Row {
        try db.record("petition", id: try arguments.string("petition_id"), what: "petition", field: "petition_id")
    }

    static func requireOpen(_ row: Row) throws(CommandError) {
        if let concluded: String = row["concluded_at"] {
            throw CommandError(.conflict, "the petition was concluded at \(concluded)")
        }
    }

    static let reply = CommandSpec(
        "petition.reply",
        "reply to a petition: procedural (within 7 days), progress (the process, within 3 months; monthly follow-ups go on) or result (concludes it)",
        arguments: [
            ArgumentSpec("petition_id", .string, required: true, "the petition"),
            ArgumentSpec("kind", .string, required: true, choices: PetitionReply.names, "which reply"),
            ArgumentSpec("content", .string, required: true, "what was said to the petitioner"),
        ]
    ) { context, events in
        let row = try petition(events.db, context.arguments)
        try requireOpen(row)
        let kind: PetitionReply = try context.arguments.choice("kind")
        let id: String = row["id"]
        let today = CalendarDate(context.now)
        let at = Timestamp.format(context.now)
        var followUpDue: CalendarDate?
        let onTime: Bool
        switch kind {
        case .procedural:
            if let replied: String = row["procedural_replied_at"] {
                throw CommandError(.conflict, "the procedural reply was already given at \(replied)")
            }
            onTime = !PetitionDeadlines.isOverdue(CalendarDate(row["procedural_due"] as String)!, today: today)
            try events.db.execute(
                cached: "UPDATE petition SET procedural_replied_at = ?, status = CASE status WHEN 'received' THEN 'acknowledged' ELSE status END WHERE id = ?",
                arguments: [at, id])
        case .progress, .result:
            let resultDue = CalendarDate(row["result_due"] as String)!
            // The 3-month deadline is answered by the first process or result reply; after it, a progress
            // reply counts as the month's follow-up.
            let firstAnswer = (row["result_replied_at"] as String?) == nil
            let due = firstAnswer ? resultDue : row.day("follow_up_due") ?? resultDue
            onTime = !PetitionDeadlines.isOverdue(due, today: today)
            if kind == .result {
                try events.db.execute(
                    cached: """
                        UPDATE petition SET result_replied_at = COALESCE(result_replied_at, ?), status = 'concluded', concluded_at = ?,
                               procedural_replied_at = COALESCE(procedural_replied_at, ?), follow_up_due = NULL WHERE id = ?
                        """,
                    arguments: [at, at, at, id])
            } else {
                followUpDue = PetitionDeadlines.nextFollowUpDue(after: today)
                try events.db.execute(
                    cached: """
                        UPDATE petition SET result_replied_at = COALESCE(result_replied_at, ?), status = 'in-progress', follow_up_due = ?,
                               procedural_replied_at = COALESCE(procedural_replied_at, ?) WHERE id = ?
                        """,
                    arguments: [at, followUpDue!.description, at, id])
            }
        }
        try events.db.execute(
            cached: "INSERT INTO petition_action (petition_id, kind, content, at, on_time) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, kind.rawValue, try context.arguments.text("content"), at, onTime])
        var data: [String: JSONValue] = [
            "petition_id": .string(id), "kind": .string(kind.rawValue), "on_time": .bool(onTime), "replied_on": .string(CalendarDate(context.now).description),
        ]
        if let followUpDue { data["follow_up_due"] = .string(followUpDue.description) }
        try events.emit("petition.petition.replied", subject: "petition/\(id)", data: .object(data))
        return .object(data)
    }

    static let followUp = CommandSpec(
        "petition.follow-up", "record the monthly follow-up on a petition not yet concluded; the next falls due a month later",
        arguments: [
            ArgumentSpec("petition_id", .string, required: true, "the petition"),
            ArgumentSpec("note", .string, required: true, "what was done and told"),
        ]
    ) { context, events in
        let row = try petition(events.db, context.arguments)
        try requireOpen(row)
        guard let dueText: String = row["follow_up_due"], let due = CalendarDate(dueText) else {
            throw CommandError(.conflict, "no follow-up is due yet: the 3-month process or result reply comes first")
        }
        let id: String = row["id"]
        let today = CalendarDate(context.now)
        let onTime = !PetitionDeadlines.isOverdue(due, today: today)
        let next = PetitionDeadlines.nextFollowUpDue(after: today)
        let at = Timestamp.format(context.now)
        try events.db.execute(cached: "UPDATE petition SET follow_up_due = ? WHERE id = ?", arguments: [next.description, id])
        try events.db.execute(
            cached: "INSERT INTO petition_action (petition_id, kind, content, at, on_time) VALUES (?, 'follow-up', ?, ?, ?)",
            arguments: [id, try context.arguments.text("note"), at, onTime])
        let data: JSONValue = ["petition_id": .string(id), "on_time": .bool(onTime), "follow_up_due": .string(next.description)]
        try events.emit("petition.petition.followed-up", subject: "petition/\(id)", data: data)
        return data
    }

    static let get = CommandSpec(
        "petition.get", "one petition with its deadlines and every reply and follow-up",
        arguments: [ArgumentSpec("petition_id", .string, required: true, "the petition")]
    ) { context in
        let id = try context.arguments.string("petition_id")
        return try await context.read { db in
            guard case .object(var record) = try PetitionViews.petition.one(db, id: id, what: "petition", field: "petition_id") else { return .null }
            record["actions"] = try PetitionViews.petitionAction.all(db, where: "petition_id = ?", [id], order: "id")
            return .object(record)
        }
    }.confidential()

    static let list = Listing(
        "petition.list", "petitions, oldest first", member: "petitions", view: PetitionViews.petitionRow,
        filters: [
            .init("status", choices: PetitionStatus.names, "only in this status"),
            .init("procuratorate_id", "only this procuratorate's"),
        ],
        order: "received_at, id"
    ).spec
}
