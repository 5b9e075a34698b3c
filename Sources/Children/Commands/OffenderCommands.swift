import BanshiKit
import SQLite

/// Juvenile offender cases: registration, conditional non-prosecution, probation and help-education.
enum OffenderCommands {
    static let all = [register, decide, revoke, conclude, planHelpEducation]

    static let register = CommandSpec(
        "offender-case.register", "register a juvenile offender case",
        arguments: [
            ArgumentSpec("child_id", .string, required: true, "the accused child"),
            ArgumentSpec("offence_date", .date, required: true, "the day of the offence"),
            ArgumentSpec("crime_chapter", .integer, required: true, "chapter of the Criminal Law's special part, 1 to 10"),
            ArgumentSpec("charge", .string, required: true, "the charge, e.g. 盗窃罪"),
            ArgumentSpec("likely_sentence_months", .integer, required: true, "the likely sentence in months"),
            ArgumentSpec("repentance", .boolean, required: true, "whether the accused shows repentance"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let chapter = try arguments.int("crime_chapter", default: 0, in: 1...10)
        let sentence = try arguments.int("likely_sentence_months", default: 0, in: 0...600)
        let offenceDate = try arguments.date("offence_date")
        let db = events.db
        let child = try Lookup.child(db, try arguments.string("child_id"))
        guard let birth = CalendarDate(child["birth_date"] as String), birth <= offenceDate else {
            throw CommandError(.invalidArgument, "the offence date \(offenceDate) is before the child's birth", field: "offence_date")
        }
        guard offenceDate <= CalendarDate(context.now) else {
            throw CommandError(.invalidArgument, "the offence date \(offenceDate) is in the future", field: "offence_date")
        }
        let id = OpaqueID.make("OC")
        let childID: String = child["id"]
        try db.execute(
            cached: """
                INSERT INTO offender_case (id, child_id, offence_date, crime_chapter, charge, likely_sentence_months, repentance,
                                           status, registered_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'registered', ?)
                """,
            arguments: [
                id, childID, offenceDate.description, chapter, try arguments.text("charge"), sentence,
                arguments.bool("repentance", default: false), Timestamp.format(context.now),
            ])
        try events.emit(
            "children.offender-case.registered", subject: "case/\(id)",
            data: ["case_id": .string(id), "child_id": .string(childID), "crime_chapter": .int(chapter)])
        return ["case_id": .string(id), "eligible_for_conditional_non_prosecution": .bool(
            ConditionalNonProsecution.unmetConditions(
                .init(birthDate: birth, offenceDate: offenceDate, crimeChapter: Int(chapter), likelySentenceMonths: Int(sentence),
                      repentance: arguments.bool("repentance", default: false))).isEmpty)]
    }

    /// The case `case_id` names, with the facts the law asks about.
    private static func offenderCase(_ db: Database, _ arguments: Arguments) throws -> (row: Row, facts: ConditionalNonProsecution.Facts) {
        let row = try db.record("offender_case", id: try arguments.string("case_id"), what: "offender case", field: "case_id")
        let child = try Lookup.child(db, row["child_id"])
        let facts = ConditionalNonProsecution.Facts(
            birthDate: CalendarDate(child["birth_date"] as String)!, offenceDate: CalendarDate(row["offence_date"] as String)!,
            crimeChapter: row["crime_chapter"], likelySentenceMonths: row["likely_sentence_months"], repentance: row["repentance"])
        return (row, facts)
    }

    private static func requireStatus(_ row: Row, _ status: OffenderCaseStatus, to action: String) throws(CommandError) {
        let current: String = row["status"]
        guard current == status.rawValue else {
            throw CommandError(
                .conflict, "cannot \(action): the case is \(current), not \(status.rawValue)", details: ["status": .string(current)])
        }
    }

    static let decide = CommandSpec(
        "offender-case.decide", "decide conditional non-prosecution with a probation period of 6 to 12 months (CPL arts. 282–283)",
        arguments: [
            ArgumentSpec("case_id", .string, required: true, "the offender case"),
            ArgumentSpec("probation_months", .integer, required: true, "6 to 12"),
            ArgumentSpec("police_heard", .boolean, required: true, "whether the police's opinion was heard"),
            ArgumentSpec("victim_heard", .boolean, required: true, "whether the victim's opinion was heard (true when there is no victim)"),
            ArgumentSpec("objection", .string, choices: ConditionalNonProsecution.Objection.names, "who objects, if anyone (default none)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let (row, facts) = try offenderCase(events.db, arguments)
        try requireStatus(row, .registered, to: "decide conditional non-prosecution")
        let months = try arguments.int("probation_months", default: 0, in: Int64(Int32.min)...Int64(Int32.max))
        let objection = try arguments.optionalString("objection").map { _ in
            try arguments.choice("objection", as: ConditionalNonProsecution.Objection.self)
        } ?? ConditionalNonProsecution.Objection.none
        try ConditionalNonProsecution.check(
            facts, probationMonths: Int(months), policeHeard: arguments.bool("police_heard", default: false),
            victimHeard: arguments.bool("victim_heard", default: false), objection: objection)
        let today = CalendarDate(context.now)
        // The day the period starts does not count (CPL art. 105), so it ends on the same date
        // `months` later.
        let ends = today.adding(months: Int(months))
        let id: String = row["id"]
        let childID: String = row["child_id"]
        try events.db.execute(
            cached: """
                UPDATE offender_case SET status = 'on-probation', decided_on = ?, probation_months = ?, probation_ends = ?
                WHERE id = ?
                """,
            arguments: [today.description, months, ends.description, id])
        try events.emit(
            "children.conditional-non-prosecution.decided", subject: "case/\(id)",
            data: [
                "case_id": .string(id), "child_id": .string(childID), "decided_on": .string(today.description),
                "probation_months": .int(months), "probation_ends": .string(ends.description),
            ])
        return ["case_id": .string(id), "status": "on-probation", "probation_ends": .string(ends.description)]
    }

    static let revoke = CommandSpec(
        "probation.revoke", "revoke conditional non-prosecution during probation; the case goes to prosecution (CPL art. 284)",
        arguments: [
            ArgumentSpec("case_id", .string, required: true, "the offender case"),
            ArgumentSpec("reason", .string, required: true, choices: ConditionalNonProsecution.RevocationReason.names, "the legal reason"),
        ]
    ) { context, events in
        let (row, _) = try offenderCase(events.db, context.arguments)
        try requireStatus(row, .onProbation, to: "revoke probation")
        let ends = CalendarDate(row["probation_ends"] as String)!
        guard CalendarDate(context.now) <= ends else {
            throw CommandError(.conflict, "probation ended on \(ends); conclude the case instead")
        }
        let reason = try context.arguments.string("reason")
        let id: String = row["id"]
        try events.db.execute(
            cached: "UPDATE offender_case SET status = 'revoked', revocation_reason = ?, concluded_on = ? WHERE id = ?",
            arguments: [reason, CalendarDate(context.now).description, id])
        try events.emit(
            "children.probation.revoked", subject: "case/\(id)",
            data: ["case_id": .string(id), "child_id": .string(row["child_id"] as String), "reason": .string(reason)])
        return ["case_id": .string(id), "status": "revoked"]
    }

    static let conclude = CommandSpec(
        "probation.conclude", "after probation ends without revocation, decide non-prosecution (CPL art. 284)",
        arguments: [ArgumentSpec("case_id", .string, required: true, "the offender case")]
    ) { context, events in
        let (row, _) = try offenderCase(events.db, context.arguments)
        try requireStatus(row, .onProbation, to: "conclude probation")
        let ends = CalendarDate(row["probation_ends"] as String)!
        let today = CalendarDate(context.now)
        guard today > ends else {
            throw CommandError(.conflict, "probation runs until \(ends) inclusive; it cannot be concluded on \(today)")
        }
        let id: String = row["id"]
        try events.db.execute(
            cached: "UPDATE offender_case SET status = 'not-prosecuted', concluded_on = ? WHERE id = ?",
            arguments: [today.description, id])
        try events.emit(
            "children.non-prosecution.decided", subject: "case/\(id)",
            data: ["case_id": .string(id), "child_id": .string(row["child_id"] as String), "decided_on": .string(today.description)])
        return ["case_id": .string(id), "status": "not-prosecuted"]
    }

    static let planHelpEducation = CommandSpec(
        "help-education.plan", "make a help-education (帮教) plan for an offender, optionally carried out by a partner procuratorate",
        arguments: [
            ArgumentSpec("case_id", .string, required: true, "the offender case"),
            ArgumentSpec("measures", .string, required: true, "what the plan does"),
            ArgumentSpec("starts_on", .date, required: true, "first day"),
            ArgumentSpec("ends_on", .date, required: true, "last day"),
            ArgumentSpec("partner_procuratorate", .string, "the procuratorate in the child's home region, for a cross-region plan"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let (row, _) = try offenderCase(events.db, arguments)
        let starts = try arguments.date("starts_on")
        let ends = try arguments.date("ends_on")
        guard starts <= ends else {
            throw CommandError(.invalidArgument, "the plan ends (\(ends)) before it starts (\(starts))", field: "ends_on")
        }
        let id = OpaqueID.make("HP")
        let caseID: String = row["id"]
        let partner = arguments.optionalString("partner_procuratorate")
        try events.db.execute(
            cached: "INSERT INTO help_education_plan (id, case_id, measures, partner_procuratorate, starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, caseID, try arguments.text("measures"), partner, starts.description, ends.description])
        try events.emit(
            "children.help-education.planned", subject: "case/\(caseID)",
            data: [
                "plan_id": .string(id), "case_id": .string(caseID), "child_id": .string(row["child_id"] as String),
                "cross_region": .bool(partner != nil), "starts_on": .string(starts.description), "ends_on": .string(ends.description),
            ])
        return ["plan_id": .string(id)]
    }
}
