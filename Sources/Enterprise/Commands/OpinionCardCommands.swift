import BanshiKit
import SQLite

/// Opinion cards (企业意见采集卡): each suggestion in one of the five categories, each answered by its
/// due day (逐一解答). An unanswered card past its due day is announced once by `deadlines.scan`.
enum OpinionCardCommands {
    static func all(_ settings: EnterpriseSettings) -> [CommandSpec] { [collect(settings), answer] }

    /// Whether an answer given on `answered` meets the due day `due`: the due day itself is on time.
    static func onTime(answered: CalendarDate, due: CalendarDate) -> Bool { answered <= due }

    static func collect(_ settings: EnterpriseSettings) -> CommandSpec {
        CommandSpec(
            "card.collect", "record a suggestion collected on an opinion card; it is due for an answer in \(settings.cardAnswerDays) days",
            arguments: [
                ArgumentSpec("enterprise_id", .string, required: true, "the enterprise's credit code"),
                ArgumentSpec("category", .string, required: true, choices: settings.cardCategories, "one of the five categories"),
                ArgumentSpec("suggestion", .string, required: true, "the suggestion, in the enterprise's words"),
                ArgumentSpec("collected_on", .date, "the day (default: today)"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let code = try Lookup.enterprise(events.db, arguments)
            let collected = try context.pastDay("collected_on")
            let due = collected.adding(days: settings.cardAnswerDays)
            let id = OpaqueID.make("OC")
            try events.db.execute(
                cached: "INSERT INTO opinion_card (id, enterprise_id, category, suggestion, collected_on, answer_due) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, code.text, try arguments.string("category"), try arguments.text("suggestion"), collected.description, due.description])
            try events.emit(
                "enterprise.opinion-card.collected", subject: "card/\(id)",
                data: [
                    "card_id": .string(id), "enterprise_id": .string(code.text), "category": .string(try arguments.string("category")),
                    "collected_on": .string(collected.description), "answer_due": .string(due.description),
                ])
            return ["card_id": .string(id), "answer_due": .string(due.description)]
        }
    }

    static let answer = CommandSpec(
        "card.answer", "answer an opinion card: who answered and how; on time when on or before its due day",
        arguments: [
            ArgumentSpec("card_id", .string, required: true, "the card"),
            ArgumentSpec("answer", .string, required: true, "the answer given to the enterprise"),
            ArgumentSpec("answered_by", .string, required: true, "who answered"),
            ArgumentSpec("answered_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let id = try arguments.string("card_id")
        guard let row = try Row.fetchOne(
            events.db, cached: "SELECT enterprise_id, collected_on, answer_due, answered_on FROM opinion_card WHERE id = ?", arguments: [id])
        else { throw CommandError(.notFound, "no opinion card '\(id)'", field: "card_id") }
        guard (row[3] as String?) == nil else { throw CommandError(.conflict, "card \(id) was answered on \(row[3] as String)", field: "card_id") }
        let answered = try context.pastDay("answered_on", notBefore: CalendarDate(row[1] as String), "the card was collected")
        let onTime = Self.onTime(answered: answered, due: CalendarDate(row[2] as String)!)
        try events.db.execute(
            cached: "UPDATE opinion_card SET answered_on = ?, answered_by = ?, answer = ?, on_time = ? WHERE id = ?",
            arguments: [answered.description, try arguments.text("answered_by"), try arguments.text("answer"), onTime, id])
        let enterprise: String = row[0]
        try events.emit(
            "enterprise.opinion-card.answered", subject: "card/\(id)",
            data: ["card_id": .string(id), "enterprise_id": .string(enterprise), "answered_on": .string(answered.description), "on_time": .bool(onTime)])
        return ["card_id": .string(id), "on_time": .bool(onTime)]
    }
}
