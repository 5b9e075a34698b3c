import BanshiKit
import SQLite

/// Child victim cases: early intervention, one-stop interviews, legal aid, abuse referral and the
/// judicial-aid decision that comes back for the child.
enum VictimCommands {
    static func all(_ settings: ChildrenSettings) -> [CommandSpec] {
        [register(settings), recordIntervention, registerCentre, recordInterview, requestLegalAid, assignLegalAid, refer, recordAid]
    }

    /// Opens a victim case; also how a mandatory report opens one. The early-intervention clock starts at
    /// `clockStart` (the report's receipt for a reported case), the registration is `now`.
    static func open(
        child childID: String, offence: VictimOffence, events: inout EventAppender, now: Timestamp, clockStart: Timestamp? = nil,
        settings: ChildrenSettings
    ) throws -> String {
        try Lookup.requireChild(events.db, childID)
        let id = OpaqueID.make("VC")
        let due = offence.requiresEarlyIntervention
            ? (clockStart ?? now).addingTimeInterval(Double(settings.interventionDueHours) * 3600) : nil
        try events.db.executeBound(
            "INSERT INTO victim_case (id, child_id, offence_type, registered_at, intervention_due_at) VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(childID), .text(offence.rawValue), .text(Timestamp.format(now)), .optional(due.map(Timestamp.format))])
        var data: [String: JSONValue] = [
            "case_id": .string(id), "child_id": .string(childID), "offence_type": .string(offence.rawValue),
            "intervention_required": .bool(offence.requiresEarlyIntervention),
            "registered_on": .string(CalendarDate(now).description),
        ]
        if let due { data["intervention_due_at"] = .string(Timestamp.format(due)) }
        try events.emit("children.victim-case.registered", subject: "case/\(id)", data: .object(data))
        return id
    }

    static func register(_ settings: ChildrenSettings) -> CommandSpec {
        CommandSpec(
            "victim-case.register", "register a child victim case; a sexual-assault case falls due for early intervention",
            arguments: [
                ArgumentSpec("child_id", .string, required: true, "the child victim"),
                ArgumentSpec("offence_type", .string, required: true, choices: VictimOffence.names, "the offence"),
            ]
        ) { context, events in
            let id = try open(
                child: try context.arguments.string("child_id"), offence: try context.arguments.choice("offence_type"),
                events: &events, now: context.now, settings: settings)
            return ["case_id": .string(id)]
        }
    }

    static func victimCase(_ db: Database, _ arguments: Arguments) throws -> Row {
        try db.record("victim_case", id: try arguments.string("case_id"), what: "victim case", field: "case_id")
    }

    static let caseArgument = ArgumentSpec("case_id", .string, required: true, "the victim case")

    static let recordIntervention = CommandSpec(
        "intervention.record", "record early intervention in a victim case (at `now`)", arguments: [caseArgument]
    ) { context, events in
        let row = try victimCase(events.db, context.arguments)
        if let at: String = row["intervened_at"] {
            throw CommandError(.conflict, "early intervention was already recorded at \(at)")
        }
        let id: String = row["id"]
        let due = (row["intervention_due_at"] as String?).flatMap(Timestamp.parse)
        try events.db.execute(
            cached: "UPDATE victim_case SET intervened_at = ? WHERE id = ?", arguments: [Timestamp.format(context.now), id])
        let onTime = due.map { context.now <= $0 } ?? true
        try events.emit(
            "children.intervention.recorded", subject: "case/\(id)",
            data: ["case_id": .string(id), "child_id": .string(row["child_id"] as String), "on_time": .bool(onTime)])
        return ["case_id": .string(id), "on_time": .bool(onTime)]
    }

    static let registerCentre = CommandSpec(
        "centre.register", "register a one-stop interview centre (一站式询问救助中心)",
        arguments: [
            ArgumentSpec("name", .string, required: true, "the centre's name"),
            ArgumentSpec("district", .string, required: true, "the district it serves"),
            ArgumentSpec("opened_on", .date, required: true, "when it opened"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let name = try arguments.text("name")
        if try Row.fetchOne(events.db, cached: "SELECT 1 FROM interview_centre WHERE name = ?", arguments: [name]) != nil {
            throw CommandError(.conflict, "a centre named '\(name)' is already registered", field: "name")
        }
        let id = OpaqueID.make("IC")
        let district = try arguments.text("district")
        let opened = try arguments.date("opened_on")
        try events.db.execute(
            cached: "INSERT INTO interview_centre (id, name, district, opened_on) VALUES (?, ?, ?, ?)",
            arguments: [id, name, district, opened.description])
        try events.emit(
            "children.interview-centre.registered", subject: "centre/\(id)",
            data: ["centre_id": .string(id), "district": .string(district), "opened_on": .string(opened.description)])
        return ["centre_id": .string(id)]
    }

    static let recordInterview = CommandSpec(
        "interview.record", "record an interview of a child victim held in a one-stop centre",
        arguments: [
            caseArgument, ArgumentSpec("centre_id", .string, required: true, "the centre"),
            ArgumentSpec("held_at", .time, "when (default: now)"),
        ]
    ) { context, events in
        let row = try victimCase(events.db, context.arguments)
        let centre = try events.db.record("interview_centre", id: try context.arguments.string("centre_id"), what: "interview centre", field: "centre_id")
        let id = OpaqueID.make("IV")
        let caseID: String = row["id"]
        let centreID: String = centre["id"]
        try events.db.execute(
            cached: "INSERT INTO interview (id, case_id, centre_id, held_at) VALUES (?, ?, ?, ?)",
            arguments: [id, caseID, centreID, Timestamp.format(context.arguments.optionalTime("held_at") ?? context.now)])
        try events.emit(
            "children.interview.held", subject: "case/\(caseID)",
            data: [
                "interview_id": .string(id), "case_id": .string(caseID), "child_id": .string(row["child_id"] as String),
                "centre_id": .string(centreID),
            ])
        return ["interview_id": .string(id)]
    }

    static let requestLegalAid = CommandSpec(
        "legal-aid.request", "request free legal aid for a child victim; a duty lawyer is assigned later", arguments: [caseArgument]
    ) { context, events in
        let row = try victimCase(events.db, context.arguments)
        let caseID: String = row["id"]
        if let open = try String.fetchOne(
            events.db, cached: "SELECT id FROM legal_aid_request WHERE case_id = ? AND lawyer_id IS NULL", arguments: [caseID])
        {
            throw CommandError(.conflict, "legal-aid request \(open) for this case awaits its lawyer", details: ["request_id": .string(open)])
        }
        let id = OpaqueID.make("LA")
        try events.db.execute(
            cached: "INSERT INTO legal_aid_request (id, case_id, requested_at) VALUES (?, ?, ?)",
            arguments: [id, caseID, Timestamp.format(context.now)])
        try events.emit(
            "children.legal-aid.requested", subject: "case/\(caseID)",
            data: [
                "request_id": .string(id), "case_id": .string(caseID), "child_id": .string(row["child_id"] as String),
                "requested_on": .string(CalendarDate(context.now).description),
            ])
        return ["request_id": .string(id)]
    }

    static let assignLegalAid = CommandSpec(
        "legal-aid.assign", "record the duty lawyer assigned to a legal-aid request (sent by the coordinator)",
        arguments: [
            ArgumentSpec("request_id", .string, required: true, "the legal-aid request"),
            ArgumentSpec("lawyer_id", .string, required: true, "the lawyer service's id of the lawyer"),
        ]
    ) { context, events in
        let request = try events.db.record(
            "legal_aid_request", id: try context.arguments.string("request_id"), what: "legal-aid request", field: "request_id")
        let lawyer = try context.arguments.text("lawyer_id")
        let requestID: String = request["id"]
        if let assigned: String = request["lawyer_id"] {
            guard assigned == lawyer else {
                throw CommandError(.conflict, "the request already has lawyer \(assigned)", details: ["lawyer_id": .string(assigned)])
            }
            return ["request_id": .string(requestID), "lawyer_id": .string(lawyer), "unchanged": true]
        }
        let caseID: String = request["case_id"]
        let childID = try String.fetchOne(events.db, cached: "SELECT child_id FROM victim_case WHERE id = ?", arguments: [caseID])!
        try events.db.execute(
            cached: "UPDATE legal_aid_request SET lawyer_id = ?, assigned_at = ? WHERE id = ?",
            arguments: [lawyer, Timestamp.format(context.now), requestID])
        try events.emit(
            "children.legal-aid.assigned", subject: "case/\(caseID)",
            data: ["request_id": .string(requestID), "case_id": .string(caseID), "child_id": .string(childID), "lawyer_id": .string(lawyer)])
        return ["request_id": .string(requestID), "lawyer_id": .string(lawyer)]
    }

    static let refer = CommandSpec(
        "abuse.refer",
        "refer a victim of abuse, sexual assault, neglect or harm by a guardian: the trigger for ex-officio judicial aid",
        arguments: [caseArgument, ArgumentSpec("situation", .string, required: true, "what happened; stays in this service")]
    ) { context, events in
        let row = try victimCase(events.db, context.arguments)
        let caseID: String = row["id"]
        let offence = VictimOffence(rawValue: row["offence_type"])!
        guard offence.isReferable else {
            throw CommandError(
                .conflict, "an abuse referral covers abuse, sexual assault, neglect or harm by a guardian, not \(offence.rawValue)")
        }
        if let existing = try String.fetchOne(events.db, cached: "SELECT id FROM abuse_referral WHERE case_id = ?", arguments: [caseID]) {
            throw CommandError(.conflict, "the case was already referred (\(existing))", details: ["referral_id": .string(existing)])
        }
        let id = OpaqueID.make("AR")
        try events.db.execute(
            cached: "INSERT INTO abuse_referral (id, case_id, situation, referred_at) VALUES (?, ?, ?, ?)",
            arguments: [id, caseID, try context.arguments.text("situation"), Timestamp.format(context.now)])
        try events.emit(
            "children.abuse.referred", subject: "case/\(caseID)",
            data: [
                "referral_id": .string(id), "case_id": .string(caseID), "child_id": .string(row["child_id"] as String),
                "offence_type": .string(offence.rawValue),
            ])
        return ["referral_id": .string(id), "case_id": .string(caseID)]
    }

    static let recordAid = CommandSpec(
        "aid.record", "record on a victim case the judicial-aid decision made for the child (sent by the coordinator)",
        arguments: [
            caseArgument,
            ArgumentSpec("aid_id", .string, required: true, "the petition service's aid id"),
            ArgumentSpec("decision", .string, required: true, choices: AidDecision.names, "approved or rejected"),
            ArgumentSpec("amount", .number, "the approved amount in yuan"),
            ArgumentSpec("reason", .string, "the reason given"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let row = try victimCase(events.db, arguments)
        let caseID: String = row["id"]
        let aidID = try arguments.text("aid_id")
        let decision: AidDecision = try arguments.choice("decision")
        let amount = arguments.optionalDouble("amount")
        if decision == .approved {
            guard let amount, amount > 0 else {
                throw CommandError(.invalidArgument, "an approved decision needs a positive amount", field: "amount")
            }
        }
        if let recorded: String = row["aid_id"] {
            throw CommandError(
                .conflict, "aid \(recorded) was already recorded on this case as \(row["aid_decision"] as String? ?? "?")",
                details: ["aid_id": .string(recorded)])
        }
        try events.db.execute(
            cached: "UPDATE victim_case SET aid_id = ?, aid_decision = ?, aid_amount = ?, aid_reason = ? WHERE id = ?",
            arguments: [aidID, decision.rawValue, decision == .approved ? amount : nil, arguments.optionalString("reason"), caseID])
        var data: [String: JSONValue] = [
            "case_id": .string(caseID), "child_id": .string(row["child_id"] as String), "aid_id": .string(aidID),
            "decision": .string(decision.rawValue),
        ]
        if decision == .approved, let amount { data["amount"] = .double(amount) }
        try events.emit("children.aid.recorded", subject: "case/\(caseID)", data: .object(data))
        return ["case_id": .string(caseID), "aid_id": .string(aidID), "decision": .string(decision.rawValue)]
    }
}
