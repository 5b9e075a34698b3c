import BanshiKit
import SQLite

/// Online Q&A: an inquiry gets matching guidelines at once; staff answer it.
enum InquiryCommands {
    static let all = [submit, answer, close, get, list]

    static let submit = CommandSpec(
        "inquiry.submit", "take a question from the web, the phone or the window, and suggest matching guidelines at once",
        arguments: [
            ArgumentSpec("channel", .string, required: true, choices: InquiryChannel.names, "how it came"),
            ArgumentSpec("question", .string, required: true, "the question, in the asker's words"),
            ArgumentSpec("contact", .string, "how to reach the asker"),
        ]
    ) { context, events in
        let question = try context.arguments.text("question")
        guard question.count <= 5000 else {
            throw CommandError(.invalidArgument, "a question is at most 5000 characters", field: "question")
        }
        let hits = try GuidelineSearch.suggest(events.db, question: question)
        let id = OpaqueID.make("IQ")
        let channel = try context.arguments.string("channel")
        let suggested: JSONValue = .array(hits.map { .string($0.guidelineID) })
        try events.db.execute(
            cached: """
                INSERT INTO inquiry (id, channel, question, contact, received_at, status, suggested)
                VALUES (?, ?, ?, ?, ?, 'open', ?)
                """,
            arguments: [id, channel, question, context.arguments.optionalString("contact"), Timestamp.format(context.now), suggested.serialized()])
        try events.emit(
            "petition.inquiry.received", subject: "inquiry/\(id)",
            data: ["inquiry_id": .string(id), "channel": .string(channel), "suggested": suggested])
        return ["inquiry_id": .string(id), "suggestions": .array(hits.map(\.json))]
    }

    static let answer = CommandSpec(
        "inquiry.answer", "answer an open inquiry",
        arguments: [
            ArgumentSpec("inquiry_id", .string, required: true, "the inquiry"),
            ArgumentSpec("answer", .string, required: true, "the answer"),
            ArgumentSpec("staff", .string, required: true, "who answers"),
        ]
    ) { context, events in
        let inquiry = try events.db.record("inquiry", id: try context.arguments.string("inquiry_id"), what: "inquiry", field: "inquiry_id")
        let status: String = inquiry["status"]
        guard status == InquiryStatus.open.rawValue else { throw CommandError(.conflict, "the inquiry is \(status), not open") }
        let id: String = inquiry["id"]
        try events.db.execute(
            cached: "UPDATE inquiry SET status = 'answered', answer = ?, answered_by = ?, answered_at = ? WHERE id = ?",
            arguments: [try context.arguments.text("answer"), try context.arguments.text("staff"), Timestamp.format(context.now), id])
        try events.emit("petition.inquiry.answered", subject: "inquiry/\(id)", data: ["inquiry_id": .string(id)])
        return ["inquiry_id": .string(id), "status": "answered"]
    }

    static let close = CommandSpec(
        "inquiry.close", "close an inquiry, answered or not",
        arguments: [ArgumentSpec("inquiry_id", .string, required: true, "the inquiry")]
    ) { context, events in
        let inquiry = try events.db.record("inquiry", id: try context.arguments.string("inquiry_id"), what: "inquiry", field: "inquiry_id")
        let status: String = inquiry["status"]
        guard status != InquiryStatus.closed.rawValue else { throw CommandError(.conflict, "the inquiry is already closed") }
        let id: String = inquiry["id"]
        try events.db.execute(
            cached: "UPDATE inquiry SET status = 'closed', closed_at = ? WHERE id = ?", arguments: [Timestamp.format(context.now), id])
        try events.emit(
            "petition.inquiry.closed", subject: "inquiry/\(id)", data: ["inquiry_id": .string(id), "answered": .bool(status == "answered")])
        return ["inquiry_id": .string(id), "status": "closed"]
    }

    static let get = CommandSpec(
        "inquiry.get", "one inquiry with its suggestions and answer",
        arguments: [ArgumentSpec("inquiry_id", .string, required: true, "the inquiry")]
    ) { context in
        let id = try context.arguments.string("inquiry_id")
        return try await context.read { db in
            guard case .object(var record) = try PetitionViews.inquiry.one(db, id: id, what: "inquiry", field: "inquiry_id") else {
                return .null
            }
            record["suggested"] = try record["suggested"]?.stringValue.map { try JSONValue.parse(Array($0.utf8)) } ?? []
            return .object(record)
        }
    }.confidential()

    static let list = Listing(
        "inquiry.list", "inquiries, oldest first", member: "inquiries", view: PetitionViews.inquiryRow,
        filters: [.init("status", choices: InquiryStatus.names, "only in this status")], order: "received_at, id"
    ).spec.confidential()
}
