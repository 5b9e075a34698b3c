import BanshiKit
import SQLite

/// Law firms and lawyers, visits to firms, and lawyers' opinions with their responses.
enum LawyerCommands {
    static let all = [registerFirm, registerLawyer, recordVisit, receiveOpinion, respondOpinion]

    static let registerFirm = CommandSpec(
        "firm.register", "register a law firm",
        arguments: [ArgumentSpec("name", .string, required: true, "the firm's name"), ArgumentSpec("region", .string, required: true, "where it practises")]
    ) { context, events in
        let name = try context.arguments.text("name")
        if try Bool.fetchOne(events.db, cached: "SELECT 1 FROM firm WHERE name = ?", arguments: [name]) == true {
            throw CommandError(.conflict, "the firm '\(name)' is registered already", field: "name")
        }
        let id = OpaqueID.make("LF")
        try events.db.execute(
            cached: "INSERT INTO firm (id, name, region, registered_at) VALUES (?, ?, ?, ?)",
            arguments: [id, name, try context.arguments.text("region"), Timestamp.format(context.now)])
        try events.emit("lawyer.firm.registered", subject: "firm/\(id)", data: ["firm_id": .string(id)])
        return ["firm_id": .string(id)]
    }

    static let registerLawyer = CommandSpec(
        "lawyer.register", "register a lawyer of a firm; a duty lawyer (legal aid for child victims) takes open assignments up to a capacity",
        arguments: [
            ArgumentSpec("name", .string, required: true, "the lawyer's name"),
            ArgumentSpec("licence", .string, required: true, "the practice licence number, 17 digits"),
            ArgumentSpec("firm_id", .string, required: true, "the firm"),
            ArgumentSpec("duty", .boolean, "on the duty roster (default false)"),
            ArgumentSpec("capacity", .integer, "open assignments a duty lawyer takes at once, 1 to 100 (default 3)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let licence = try PracticeLicence(try arguments.string("licence"))
        let firm = try Support.existing(events.db, "firm", arguments, field: "firm_id", what: "law firm")
        if try Bool.fetchOne(events.db, cached: "SELECT 1 FROM lawyer WHERE licence = ?", arguments: [licence.text]) == true {
            throw CommandError(.conflict, "a lawyer with licence \(licence.text) is registered already", field: "licence")
        }
        let duty = arguments.bool("duty", default: false)
        let capacity = duty ? try arguments.int("capacity", default: 3, in: 1...100) : 0
        let id = OpaqueID.make("LW")
        try events.db.execute(
            cached: "INSERT INTO lawyer (id, name, licence, firm_id, duty, capacity, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [id, try arguments.text("name"), licence.text, firm, duty, capacity, Timestamp.format(context.now)])
        try events.emit(
            "lawyer.lawyer.registered", subject: "lawyer/\(id)",
            data: ["lawyer_id": .string(id), "firm_id": .string(firm), "duty": .bool(duty), "capacity": .int(capacity)])
        return ["lawyer_id": .string(id)]
    }

    static let recordVisit = CommandSpec(
        "visit.record", "record a visit to a law firm",
        arguments: [
            ArgumentSpec("firm_id", .string, required: true, "the firm"), ArgumentSpec("procuratorate", .string, required: true, "who visited"),
            ArgumentSpec("notes", .string, required: true, "what was heard"), ArgumentSpec("visited_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let firm = try Support.existing(events.db, "firm", context.arguments, field: "firm_id", what: "law firm")
        let day = try context.pastDay("visited_on")
        let id = OpaqueID.make("FV")
        try events.db.execute(
            cached: "INSERT INTO firm_visit (id, firm_id, visited_on, procuratorate, notes) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, firm, day.description, try context.arguments.text("procuratorate"), try context.arguments.text("notes")])
        try events.emit("lawyer.firm.visited", subject: "firm/\(firm)", data: ["visit_id": .string(id), "firm_id": .string(firm), "visited_on": .string(day.description)])
        return ["visit_id": .string(id)]
    }

    static let receiveOpinion = CommandSpec(
        "opinion.receive", "record a lawyer's opinion on the protection of practice rights or on prosecutors' integrity",
        arguments: [
            ArgumentSpec("lawyer_id", .string, required: true, "the lawyer"),
            ArgumentSpec("topic", .string, required: true, choices: OpinionTopic.names, "what it is about"),
            ArgumentSpec("content", .string, required: true, "the opinion"), ArgumentSpec("received_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let lawyer = try Support.existing(events.db, "lawyer", context.arguments, field: "lawyer_id", what: "lawyer")
        let day = try context.pastDay("received_on")
        let id = OpaqueID.make("OP")
        let topic = try context.arguments.string("topic")
        try events.db.execute(
            cached: "INSERT INTO opinion (id, lawyer_id, topic, content, received_on) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, lawyer, topic, try context.arguments.text("content"), day.description])
        try events.emit("lawyer.opinion.received", subject: "opinion/\(id)", data: ["opinion_id": .string(id), "topic": .string(topic)])
        return ["opinion_id": .string(id)]
    }

    static let respondOpinion = CommandSpec(
        "opinion.respond", "record the response to a lawyer's opinion and who gave it",
        arguments: [
            ArgumentSpec("opinion_id", .string, required: true, "the opinion"), ArgumentSpec("response", .string, required: true, "the response"),
            ArgumentSpec("responded_by", .string, required: true, "who responded"), ArgumentSpec("responded_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let id = try Support.existing(events.db, "opinion", context.arguments, field: "opinion_id", what: "opinion")
        guard let row = try Row.fetchOne(events.db, cached: "SELECT topic, received_on FROM opinion WHERE id = ? AND response IS NULL", arguments: [id]) else {
            throw CommandError(.conflict, "opinion \(id) has its response already", field: "opinion_id")
        }
        let topic: String = row[0]
        let day = try context.pastDay("responded_on", notBefore: CalendarDate(row[1] as String), "the opinion was received")
        try events.db.execute(
            cached: "UPDATE opinion SET response = ?, responded_by = ?, responded_on = ? WHERE id = ?",
            arguments: [try context.arguments.text("response"), try context.arguments.text("responded_by"), day.description, id])
        try events.emit("lawyer.opinion.responded", subject: "opinion/\(id)", data: ["opinion_id": .string(id), "topic": .string(topic)])
        return ["opinion_id": .string(id)]
    }
}
