import BanshiKit
import SQLite

/// Guardianship intervention: family-education guidance, compulsory parental education,
/// supervise-guardianship orders (督促监护令, with a follow-up deadline) and revocation petitions.
enum GuardianshipCommands {
    static func all(_ settings: ChildrenSettings) -> [CommandSpec] { [issue(settings), conclude] }

    static func issue(_ settings: ChildrenSettings) -> CommandSpec {
        CommandSpec(
            "guardianship.issue", "issue a guardianship measure; a supervise-guardianship order gets a follow-up deadline",
            arguments: [
                ArgumentSpec("child_id", .string, required: true, "the child"),
                ArgumentSpec("kind", .string, required: true, choices: GuardianshipMeasure.names, "the measure"),
                ArgumentSpec("note", .string, required: true, "what was ordered or advised, and to whom"),
                ArgumentSpec("follow_up_due", .time, "when the follow-up falls due (orders default to now + supervise_order_follow_up_days)"),
                ArgumentSpec("issued_on", .date, "the day the measure was issued (default: today); a supervise-guardianship order not before supervise_orders_since"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let child = try Lookup.child(events.db, try arguments.string("child_id"))
            let kind: GuardianshipMeasure = try arguments.choice("kind")
            let issuedOn = try context.pastDay("issued_on")
            if kind == .superviseOrder, issuedOn < settings.superviseOrdersSince {
                throw CommandError(
                    .invalidArgument,
                    "supervise-guardianship orders (督促监护令) exist from \(settings.superviseOrdersSince), when they began nationwide; an order dated \(issuedOn) cannot be issued",
                    field: "issued_on")
            }
            var due = arguments.optionalTime("follow_up_due")
            if kind == .superviseOrder, due == nil {
                due = context.now.addingTimeInterval(Double(settings.superviseOrderFollowUpDays) * 86_400)
            }
            if let due, due <= context.now {
                throw CommandError(.invalidArgument, "the follow-up must fall due after now", field: "follow_up_due")
            }
            let id = OpaqueID.make("GM")
            let childID: String = child["id"]
            try events.db.execute(
                cached: "INSERT INTO guardianship_measure (id, child_id, kind, note, issued_at, follow_up_due) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, childID, kind.rawValue, try arguments.text("note"), Timestamp.format(context.now), due.map(Timestamp.format)])
            var data: [String: JSONValue] = ["measure_id": .string(id), "child_id": .string(childID), "kind": .string(kind.rawValue)]
            if let due { data["follow_up_due"] = .string(Timestamp.format(due)) }
            try events.emit("children.guardianship.issued", subject: "measure/\(id)", data: .object(data))
            return .object(data)
        }
    }

    static let conclude = CommandSpec(
        "guardianship.conclude", "conclude a measure: completed; complied or not-complied (orders); granted or refused (petitions)",
        arguments: [
            ArgumentSpec("measure_id", .string, required: true, "the measure"),
            ArgumentSpec("outcome", .string, required: true, choices: MeasureOutcome.names, "how it ended"),
        ]
    ) { context, events in
        let measure = try events.db.record(
            "guardianship_measure", id: try context.arguments.string("measure_id"), what: "guardianship measure",
            field: "measure_id")
        let kind = GuardianshipMeasure(rawValue: measure["kind"])!
        let outcome = try context.arguments.string("outcome")
        guard kind.outcomes.contains(outcome) else {
            throw CommandError(
                .invalidArgument, "a \(kind.rawValue) ends as \(kind.outcomes.joined(separator: " or ")), not \(outcome)", field: "outcome")
        }
        if let concluded: String = measure["outcome"] {
            throw CommandError(.conflict, "the measure was already concluded as \(concluded)")
        }
        let id: String = measure["id"]
        try events.db.execute(
            cached: "UPDATE guardianship_measure SET outcome = ?, concluded_at = ? WHERE id = ?",
            arguments: [outcome, Timestamp.format(context.now), id])
        let data: JSONValue = [
            "measure_id": .string(id), "child_id": .string(measure["child_id"] as String), "kind": .string(kind.rawValue),
            "outcome": .string(outcome),
        ]
        try events.emit("children.guardianship.concluded", subject: "measure/\(id)", data: data)
        return data
    }
}
