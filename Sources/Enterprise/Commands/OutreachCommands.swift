import BanshiKit

/// Visits, consultations and outreach output: what the programme's first figures count (205 visits,
/// 66 consultations and suggestions, 130 brochures, 6 symposia).
enum OutreachCommands {
    static let all = [visit, consultation, outreach]

    static let visit = CommandSpec(
        "visit.record", "record a visit to an enterprise: who went, who was met, the pain points and needs heard",
        arguments: [
            ArgumentSpec("enterprise_id", .string, required: true, "the enterprise's credit code"),
            ArgumentSpec("visited_on", .date, "the day (default: today)"),
            ArgumentSpec("procuratorate", .string, required: true, "the procuratorate that visited"),
            ArgumentSpec("prosecutors", .string, required: true, "the prosecutors who went"),
            ArgumentSpec("met", .string, required: true, "who was met (managers, staff)"),
            ArgumentSpec("pain_points", .string, required: true, "the pain points and needs heard (free text)"),
            ArgumentSpec("follow_up", .string, "the follow-up actions agreed"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let code = try Lookup.enterprise(events.db, arguments)
        let day = try context.pastDay("visited_on")
        let id = OpaqueID.make("VS")
        try events.db.execute(
            cached: """
                INSERT INTO visit (id, enterprise_id, visited_on, procuratorate, prosecutors, met, pain_points, follow_up, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, code.text, day.description, try arguments.text("procuratorate"), try arguments.text("prosecutors"), try arguments.text("met"),
                try arguments.text("pain_points"), arguments.optionalString("follow_up"), Timestamp.format(context.now),
            ])
        try events.emit(
            "enterprise.visit.recorded", subject: "enterprise/\(code)",
            data: ["visit_id": .string(id), "enterprise_id": .string(code.text), "visited_on": .string(day.description)])
        return ["visit_id": .string(id)]
    }

    static let consultation = CommandSpec(
        "consultation.record", "record a legal consultation or a countermeasure suggestion given to an enterprise",
        arguments: [
            ArgumentSpec("enterprise_id", .string, required: true, "the enterprise's credit code"),
            ArgumentSpec("kind", .string, required: true, choices: ConsultationKind.names, "what was given"),
            ArgumentSpec("given_on", .date, "the day (default: today)"),
            ArgumentSpec("summary", .string, required: true, "what was advised"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let code = try Lookup.enterprise(events.db, arguments)
        let day = try context.pastDay("given_on")
        let id = OpaqueID.make("CS")
        try events.db.execute(
            cached: "INSERT INTO consultation (id, enterprise_id, kind, given_on, summary, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, code.text, try arguments.string("kind"), day.description, try arguments.text("summary"), Timestamp.format(context.now)])
        try events.emit(
            "enterprise.consultation.given", subject: "enterprise/\(code)",
            data: [
                "consultation_id": .string(id), "enterprise_id": .string(code.text), "kind": .string(try arguments.string("kind")),
                "given_on": .string(day.description),
            ])
        return ["consultation_id": .string(id)]
    }

    static let outreach = CommandSpec(
        "outreach.record", "record outreach output: a white paper or typical case published, brochures distributed, a symposium held",
        arguments: [
            ArgumentSpec("kind", .string, required: true, choices: OutreachKind.names, "what it was"),
            ArgumentSpec("title", .string, required: true, "its title or theme"),
            ArgumentSpec("held_on", .date, "the day (default: today)"),
            ArgumentSpec("quantity", .integer, "copies distributed (brochures), 1 to 10000 a record; 1 for anything else"),
            ArgumentSpec("attendees", .integer, "how many attended (a symposium)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let kind: OutreachKind = try arguments.choice("kind")
        let day = try context.pastDay("held_on")
        let quantity = try arguments.int("quantity", default: 1, in: 1...10_000)
        if kind != .brochure, quantity != 1 {
            throw CommandError(.invalidArgument, "a \(kind.rawValue) is recorded once (quantity 1); quantities are for brochures", field: "quantity")
        }
        let attendees = arguments.values["attendees"] == nil ? nil : try arguments.int("attendees", default: 0, in: 0...100_000)
        if attendees != nil, kind != .symposium {
            throw CommandError(.invalidArgument, "attendees are recorded for a symposium only", field: "attendees")
        }
        let id = OpaqueID.make("OR")
        try events.db.execute(
            cached: "INSERT INTO outreach (id, kind, title, held_on, quantity, attendees, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [id, kind.rawValue, try arguments.text("title"), day.description, quantity, attendees, Timestamp.format(context.now)])
        try events.emit(
            "enterprise.outreach.recorded", subject: "outreach/\(id)",
            data: ["outreach_id": .string(id), "kind": .string(kind.rawValue), "held_on": .string(day.description), "quantity": .int(quantity)])
        return ["outreach_id": .string(id)]
    }
}
