import BanshiKit
import SQLite

/// Criminal-compliance leniency (企业刑事合规从宽): each step checks where the program stands
/// (`ComplianceProgram.next`) and refuses any other with `conflict`.
enum ComplianceCommands {
    static let all = [propose, accept, supervise, assess, decide]

    static let programArgument = ArgumentSpec("program_id", .string, required: true, "the compliance program")

    static let propose = CommandSpec(
        "compliance.propose", "propose a criminal-compliance program for an enterprise in a case",
        arguments: [
            ArgumentSpec("enterprise_id", .string, required: true, "the enterprise's credit code"),
            ArgumentSpec("case_number", .string, required: true, "the case the program belongs to"),
            ArgumentSpec("proposed_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let code = try Lookup.enterprise(events.db, context.arguments)
        let day = try context.pastDay("proposed_on")
        let id = OpaqueID.make("CP")
        try events.db.execute(
            cached: "INSERT INTO compliance_program (id, enterprise_id, case_number, status, proposed_on) VALUES (?, ?, ?, 'proposed', ?)",
            arguments: [id, code.text, try context.arguments.text("case_number"), day.description])
        try events.emit("enterprise.compliance.proposed", subject: "compliance/\(id)", data: ["program_id": .string(id), "enterprise_id": .string(code.text)])
        return ["program_id": .string(id), "status": "proposed"]
    }

    /// Moves program `id` by `step`, writing `set` (column = value) with the new status, and announces
    /// it. `program` is its record as the step read it (`record`), `nil` when there is none.
    static func advance(
        _ events: inout EventAppender, _ id: String, _ program: Row?, _ step: ComplianceProgram.Step, passed: Bool = false,
        decision: ComplianceDecision? = nil, set: [String: (any DatabaseValueConvertible)?], event: String, data extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        let (status, enterprise) = try Lookup.program(program, id)
        let next = try ComplianceProgram.next(after: step, from: status, passed: passed, decision: decision)
        let columns = set.keys.sorted()
        try events.db.execute(
            cached: "UPDATE compliance_program SET status = ?\(columns.map { ", \($0) = ?" }.joined()) WHERE id = ?",
            arguments: StatementArguments([next.rawValue] + columns.map { set[$0]! } + [id]))
        var data: [String: JSONValue] = ["program_id": .string(id), "enterprise_id": .string(enterprise)]
        data.merge(extra) { _, new in new }
        try events.emit(event, subject: "compliance/\(id)", data: .object(data))
        return ["program_id": .string(id), "status": .string(next.rawValue)]
    }

    /// The program's record, whose days bound the next step's; nil when there is no such program
    /// (`advance` then refuses the step for that).
    static func record(_ db: Database, _ id: String) throws -> Row? {
        try Row.fetchOne(db, cached: "SELECT * FROM compliance_program WHERE id = ?", arguments: [id])
    }

    static let accept = CommandSpec(
        "compliance.accept", "record that the enterprise accepted the program",
        arguments: [programArgument, ArgumentSpec("accepted_on", .date, "the day (default: today)")]
    ) { context, events in
        let id = try context.arguments.string("program_id")
        let program = try record(events.db, id)
        let day = try context.pastDay("accepted_on", notBefore: program?.day("proposed_on"), "the program was proposed")
        return try advance(
            &events, id, program, .accept, set: ["accepted_on": day.description], event: "enterprise.compliance.accepted")
    }

    static let supervise = CommandSpec(
        "compliance.supervise", "put the program under third-party supervision for a period",
        arguments: [
            programArgument, ArgumentSpec("supervisor", .string, required: true, "the third-party supervisor (organisation or team)"),
            ArgumentSpec("starts_on", .date, required: true, "the first day of supervision"),
            ArgumentSpec("ends_on", .date, required: true, "the last day of supervision"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let starts = try arguments.date("starts_on")
        let ends = try arguments.date("ends_on")
        guard ends >= starts else { throw CommandError(.invalidArgument, "ends_on \(ends) is before starts_on \(starts)", field: "ends_on") }
        guard ends <= starts.adding(years: 3) else {
            throw CommandError(.invalidArgument, "a supervision period of more than 3 years (\(starts) to \(ends)) is not plausible", field: "ends_on")
        }
        let id = try arguments.string("program_id")
        let program = try record(events.db, id)
        if let accepted = program?.day("accepted_on"), starts < accepted {
            throw CommandError(
                .invalidArgument, "starts_on \(starts) is before the enterprise accepted the program (\(accepted)); supervision starts after it",
                field: "starts_on")
        }
        return try advance(
            &events, id, program, .supervise,
            set: ["supervisor": try arguments.text("supervisor"), "supervision_starts": starts.description, "supervision_ends": ends.description],
            event: "enterprise.compliance.supervised",
            data: ["supervision_starts": .string(starts.description), "supervision_ends": .string(ends.description)])
    }

    static let assess = CommandSpec(
        "compliance.assess", "record the assessment at the end of supervision: passed or failed",
        arguments: [
            programArgument, ArgumentSpec("passed", .boolean, required: true, "whether the program passed"),
            ArgumentSpec("assessment", .string, required: true, "the assessment's findings"),
            ArgumentSpec("assessed_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let passed = arguments.bool("passed", default: false)
        let id = try arguments.string("program_id")
        let program = try record(events.db, id)
        let day = try context.pastDay("assessed_on", notBefore: program?.day("supervision_starts"), "the supervision started")
        // The third party assesses a program once its supervision has run its course; a failure (the
        // enterprise did not comply) may end it earlier. A program not yet supervised has no end
        // here, and `advance` refuses it for its status.
        if passed, let ends = program?.day("supervision_ends"), day <= ends {
            throw CommandError(
                .conflict, "a program passes only once its supervision has run its course: it ends on \(ends), so a pass is assessed from \(ends.adding(days: 1)), not on \(day)",
                details: ["field": "assessed_on", "supervision_ends": .string(ends.description)])
        }
        return try advance(
            &events, id, program, .assess, passed: passed,
            set: ["assessed_on": day.description, "assessment": try arguments.text("assessment")], event: "enterprise.compliance.assessed",
            data: ["passed": .bool(passed)])
    }

    static let decide = CommandSpec(
        "compliance.decide", "record the decision that follows the assessment: leniency (only after a pass) or prosecution",
        arguments: [
            programArgument, ArgumentSpec("decision", .string, required: true, choices: ComplianceDecision.names, "what was decided"),
            ArgumentSpec("decided_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let decision: ComplianceDecision = try context.arguments.choice("decision")
        let id = try context.arguments.string("program_id")
        let program = try record(events.db, id)
        let day = try context.pastDay("decided_on", notBefore: program?.day("assessed_on"), "the program was assessed")
        return try advance(
            &events, id, program, .decide, decision: decision,
            set: ["decision": decision.rawValue, "decided_on": day.description], event: "enterprise.compliance.decided",
            data: ["decision": .string(decision.rawValue)])
    }
}
