import BanshiKit
import SQLite

/// Judicial aid (国家司法救助): opened on application or ex officio, reviewed, decided within the cap,
/// paid; needs beyond the case referred to social assistance.
enum AidCommands {
    static func all(_ settings: PetitionSettings) -> [CommandSpec] {
        [apply, openExOfficio(settings), decide(settings), pay, refer, updateReferral, get, list, blankSpots]
    }

    /// Opens an aid case in review and emits `petition.aid.opened`.
    static func open(
        origin: AidOrigin, category: AidCategory, procuratorate: String, beneficiaryName: String?, beneficiaryRef: String?,
        source: (service: String, ref: String)?, petition: String?, situation: String, events: inout EventAppender, now: Timestamp
    ) throws -> JSONValue {
        try events.db.requireRecord("procuratorate", id: procuratorate, what: "procuratorate", field: "procuratorate_id")
        if let petition { try events.db.requireRecord("petition", id: petition, what: "petition", field: "petition_id") }
        if let source, let existing = try String.fetchOne(
            events.db, cached: "SELECT id FROM aid_case WHERE source_service = ? AND source_ref = ?", arguments: [source.service, source.ref])
        {
            throw CommandError(
                .conflict, "aid \(existing) was already opened for \(source.service) \(source.ref)", details: ["aid_id": .string(existing)])
        }
        let id = OpaqueID.make("JA")
        var data: [String: JSONValue] = [
            "aid_id": .string(id), "origin": .string(origin.rawValue), "category": .string(category.rawValue),
            "procuratorate_id": .string(procuratorate),
        ]
        if let source {
            data["source_service"] = .string(source.service)
            data["source_ref"] = .string(source.ref)
        }
        // The aid case belongs to the flow that opened it (a child's referral, say): its later events
        // carry the same correlationid, however much later and by whomever they are caused. The event
        // comes first so that the row is written once, with it.
        let opened = try events.emit("petition.aid.opened", subject: "aid/\(id)", data: .object(data))
        try events.db.executeBound(
            """
            INSERT INTO aid_case (id, origin, source_service, source_ref, beneficiary_name, beneficiary_ref, category, procuratorate_id,
                                  petition_id, situation, correlation_id, opened_at, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'review')
            """,
            [
                .text(id), .text(origin.rawValue), .optional(source?.service), .optional(source?.ref), .optional(beneficiaryName),
                .optional(beneficiaryRef), .text(category.rawValue), .text(procuratorate), .optional(petition), .text(situation),
                .text(opened.correlationid), .text(Timestamp.format(now)),
            ])
        return .object(data)
    }

    static let apply = CommandSpec(
        "aid.apply", "open judicial aid on a person's application",
        arguments: [
            ArgumentSpec("beneficiary_name", .string, required: true, "who is to be helped; stays in this service"),
            ArgumentSpec("category", .string, required: true, choices: AidCategory.names, "the target group"),
            ArgumentSpec("procuratorate_id", .string, required: true, "the procuratorate handling it"),
            ArgumentSpec("situation", .string, required: true, "the hardship and the case it comes from"),
            ArgumentSpec("petition_id", .string, "the petition it arose from"),
        ]
    ) { context, events in
        let arguments = context.arguments
        return try open(
            origin: .application, category: try arguments.choice("category"), procuratorate: try arguments.string("procuratorate_id"),
            beneficiaryName: try arguments.text("beneficiary_name"), beneficiaryRef: nil, source: nil,
            petition: arguments.optionalString("petition_id"), situation: try arguments.text("situation"), events: &events, now: context.now)
    }

    static func openExOfficio(_ settings: PetitionSettings) -> CommandSpec {
        CommandSpec(
            "aid.open",
            "open judicial aid ex officio (依职权), e.g. routed by the coordinator from another service's case; once per source reference",
            arguments: [
                ArgumentSpec("category", .string, required: true, choices: AidCategory.names, "the target group"),
                ArgumentSpec("source_service", .string, "the service whose case prompted it"),
                ArgumentSpec("source_ref", .string, "that service's case reference (with source_service)"),
                ArgumentSpec("beneficiary_ref", .string, "the other service's opaque id of the person (a child's id, say)"),
                ArgumentSpec("beneficiary_name", .string, "the person's name, when opened by staff"),
                ArgumentSpec("procuratorate_id", .string, "the procuratorate handling it (default: default_procuratorate)"),
                ArgumentSpec("situation", .string, "why aid is opened"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let service = arguments.optionalString("source_service")
            let ref = arguments.optionalString("source_ref")
            guard (service == nil) == (ref == nil) else {
                throw CommandError(
                    .invalidArgument, "source_service and source_ref go together", field: service == nil ? "source_service" : "source_ref")
            }
            let name = arguments.optionalString("beneficiary_name")
            let beneficiary = arguments.optionalString("beneficiary_ref")
            guard name != nil || beneficiary != nil else {
                throw CommandError(.invalidArgument, "name the beneficiary: beneficiary_ref or beneficiary_name", field: "beneficiary_ref")
            }
            if let service, let ref {
                try ServiceReference.check(service: service, reference: ref, own: "petition", serviceField: "source_service", referenceField: "source_ref")
            }
            if let beneficiary, !ServiceReference.isID(beneficiary) {
                throw CommandError(.invalidArgument, "beneficiary_ref is the other service's opaque id of the person, not a name", field: "beneficiary_ref")
            }
            let source = service.map { (service: $0, ref: ref!) }
            return try open(
                origin: .exOfficio, category: try arguments.choice("category"),
                procuratorate: arguments.optionalString("procuratorate_id") ?? settings.defaultProcuratorate, beneficiaryName: name,
                beneficiaryRef: beneficiary, source: source, petition: nil,
                situation: arguments.optionalString("situation") ?? source.map { "opened ex officio from \($0.service) \($0.ref)" } ?? "opened ex officio",
                events: &events, now: context.now)
        }
    }

    static func aidCase(_ db: Database, _ arguments: Arguments) throws -> Row {
        try db.record("aid_case", id: try arguments.string("aid_id"), what: "aid case", field: "aid_id")
    }

    /// The fields every aid event repeats: who decides, and where a routed decision goes back to.
    static func routing(_ row: Row) -> [String: JSONValue] {
        routing(procuratorate: row["procuratorate_id"], sourceService: row["source_service"], sourceRef: row["source_ref"])
    }

    static func routing(procuratorate: String, sourceService: String?, sourceRef: String?) -> [String: JSONValue] {
        var data: [String: JSONValue] = ["procuratorate_id": .string(procuratorate)]
        if let sourceService, let sourceRef {
            data["source_service"] = .string(sourceService)
            data["source_ref"] = .string(sourceRef)
        }
        return data
    }

    /// What a decision reads of its aid case (a decision is a third of the window's writes).
    struct Undecided {
        let status: String
        let category: AidCategory
        let origin: String
        let routing: [String: JSONValue]
        let correlationID: String?

        init(_ db: Database, _ id: String) throws {
            let row = try db.recordText(
                "aid_case", id: id, columns: "status, category, origin, procuratorate_id, source_service, source_ref, correlation_id",
                what: "aid case", field: "aid_id")
            status = row[0] ?? ""
            guard let category = row[1].flatMap(AidCategory.init(rawValue:)) else {
                throw CommandError(.internal, "aid case \(id) has no known category")
            }
            self.category = category
            origin = row[2] ?? ""
            routing = AidCommands.routing(procuratorate: row[3] ?? "", sourceService: row[4], sourceRef: row[5])
            correlationID = row[6]
        }
    }

    static func decide(_ settings: PetitionSettings) -> CommandSpec {
        CommandSpec(
            "aid.decide",
            "decide an aid case in review: approved with an amount (at most 36 × the previous year's average monthly wage), or rejected with a reason",
            arguments: [
                ArgumentSpec("aid_id", .string, required: true, "the aid case"),
                ArgumentSpec("decision", .string, required: true, choices: AidDecision.names, "approved or rejected"),
                ArgumentSpec("amount", .number, "the amount in yuan (approved)"),
                ArgumentSpec("reason", .string, "the reason (required for a rejection)"),
                ArgumentSpec("serious_injury_or_long_term_therapy", .boolean, "a minor seriously injured or in long-term therapy"),
                ArgumentSpec("exceed_reason", .string, "why a minor's amount exceeds the cap"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let id = try arguments.string("aid_id")
            let aid = try Undecided(events.db, id)
            guard aid.status == AidStatus.review.rawValue else { throw CommandError(.conflict, "the aid case is \(aid.status), not in review") }
            let category = aid.category
            let decision: AidDecision = try arguments.choice("decision")
            var data = aid.routing
            data["aid_id"] = .string(id)
            data["decision"] = .string(decision.rawValue)
            data["origin"] = .string(aid.origin)
            data["category"] = .string(category.rawValue)
            let at = Timestamp.format(context.now)
            data["decided_on"] = .string(CalendarDate(context.now).description)
            switch decision {
            case .approved:
                guard let amount = arguments.optionalDouble("amount") else {
                    throw CommandError(.invalidArgument, "an approval needs the amount", field: "amount")
                }
                let checked = try settings.aidCap.check(
                    amount: amount, category: category, decisionYear: CalendarDate(context.now).year,
                    seriousInjuryOrLongTermTherapy: arguments.bool("serious_injury_or_long_term_therapy", default: false),
                    exceedReason: arguments.optionalString("exceed_reason"))
                try events.db.executeBound(
                    """
                    UPDATE aid_case SET status = 'approved', amount = ?, cap = ?, wage_year = ?, exceeds_cap = ?, exceed_reason = ?,
                           decision_reason = ?, decided_at = ? WHERE id = ?
                    """,
                    [
                        .real(amount), .real(checked.cap), .int(Int64(checked.wageYear)), .int(checked.exceeds ? 1 : 0),
                        .optional(checked.exceeds ? arguments.optionalString("exceed_reason") : nil), .optional(arguments.optionalString("reason")),
                        .text(at), .text(id),
                    ])
                data["amount"] = .double(amount)
                data["exceeds_cap"] = .bool(checked.exceeds)
            case .rejected:
                let reason = try arguments.text("reason")
                try events.db.executeBound(
                    "UPDATE aid_case SET status = 'rejected', decision_reason = ?, decided_at = ? WHERE id = ?", [.text(reason), .text(at), .text(id)])
                data["exceeds_cap"] = false
            }
            try events.emit("petition.aid.decided", subject: "aid/\(id)", data: .object(data), correlationid: aid.correlationID)
            return .object(data)
        }
    }

    static let pay = CommandSpec(
        "aid.pay", "record that approved aid was paid", arguments: [ArgumentSpec("aid_id", .string, required: true, "the aid case")]
    ) { context, events in
        let row = try aidCase(events.db, context.arguments)
        let status: String = row["status"]
        guard status == AidStatus.approved.rawValue else { throw CommandError(.conflict, "only approved aid can be paid; this case is \(status)") }
        let id: String = row["id"]
        try events.db.execute(cached: "UPDATE aid_case SET status = 'paid', paid_at = ? WHERE id = ?", arguments: [Timestamp.format(context.now), id])
        var data = routing(row)
        data["aid_id"] = .string(id)
        data["amount"] = .double(row["amount"])
        try events.emit("petition.aid.paid", subject: "aid/\(id)", data: .object(data), correlationid: row["correlation_id"] as String?)
        return .object(data)
    }

    static let refer = CommandSpec(
        "aid.refer", "refer a need beyond the case to a social-assistance agency",
        arguments: [
            ArgumentSpec("aid_id", .string, required: true, "the aid case"),
            ArgumentSpec("agency", .string, required: true, choices: AssistanceAgency.names, "the agency"),
            ArgumentSpec("need", .string, required: true, "what the person needs from it"),
        ]
    ) { context, events in
        let row = try aidCase(events.db, context.arguments)
        let aidID: String = row["id"]
        let agency = try context.arguments.string("agency")
        let id = OpaqueID.make("RF")
        let at = Timestamp.format(context.now)
        try events.db.execute(
            cached: "INSERT INTO aid_referral (id, aid_id, agency, need, status, referred_at, updated_at) VALUES (?, ?, ?, ?, 'referred', ?, ?)",
            arguments: [id, aidID, agency, try context.arguments.text("need"), at, at])
        let data: JSONValue = ["referral_id": .string(id), "aid_id": .string(aidID), "agency": .string(agency)]
        try events.emit("petition.referral.made", subject: "aid/\(aidID)", data: data)
        return data
    }

    static let updateReferral = CommandSpec(
        "referral.update", "record a referral's new status: accepted, resolved or declined",
        arguments: [
            ArgumentSpec("referral_id", .string, required: true, "the referral"),
            ArgumentSpec("status", .string, required: true, choices: ReferralStatus.names, "its new status"),
        ]
    ) { context, events in
        let row = try events.db.record("aid_referral", id: try context.arguments.string("referral_id"), what: "referral", field: "referral_id")
        let current: String = row["status"]
        let status = try context.arguments.string("status")
        guard !["resolved", "declined"].contains(current) else { throw CommandError(.conflict, "the referral is already \(current)") }
        guard status != current, status != ReferralStatus.referred.rawValue else {
            throw CommandError(.conflict, "a \(current) referral cannot become \(status)")
        }
        let id: String = row["id"]
        try events.db.execute(
            cached: "UPDATE aid_referral SET status = ?, updated_at = ? WHERE id = ?", arguments: [status, Timestamp.format(context.now), id])
        let data: JSONValue = [
            "referral_id": .string(id), "aid_id": .string(row["aid_id"] as String), "agency": .string(row["agency"] as String),
            "status": .string(status),
        ]
        try events.emit("petition.referral.updated", subject: "aid/\(row["aid_id"] as String)", data: data)
        return data
    }

    static let get = CommandSpec(
        "aid.get", "one aid case with its referrals", arguments: [ArgumentSpec("aid_id", .string, required: true, "the aid case")]
    ) { context in
        let id = try context.arguments.string("aid_id")
        return try await context.read { db in
            guard case .object(var record) = try PetitionViews.aidCase.one(db, id: id, what: "aid case", field: "aid_id") else { return .null }
            record["referrals"] = try PetitionViews.aidReferral.all(db, where: "aid_id = ?", [id], order: "referred_at, id")
            return .object(record)
        }
    }.confidential()

    static let list = Listing(
        "aid.list", "aid cases, oldest first", member: "aid_cases", view: PetitionViews.aidCaseRow,
        filters: [
            .init("status", choices: AidStatus.names, "only in this status"),
            .init("category", choices: AidCategory.names, "only this group"),
            .init("procuratorate_id", "only this procuratorate's"),
        ],
        order: "opened_at, id"
    ).spec

    static let blankSpots = CommandSpec(
        "aid.blank-spots", "the procuratorates that granted no judicial aid in a year (空白点), and what each granted",
        arguments: [ArgumentSpec("year", .integer, "the calendar year (default: the year of now)")]
    ) { context in
        let year = try context.arguments.int("year", default: Int64(CalendarDate(context.now).year), in: 2000...2100)
        let (from, to) = NoBlankSpots.bounds(year: Int(year))
        return try await context.read { db in
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT p.id, p.name, p.level, COUNT(a.id) AS granted, COALESCE(SUM(a.amount), 0) AS amount
                    FROM procuratorate p LEFT JOIN aid_case a
                      ON a.procuratorate_id = p.id AND a.status IN ('approved', 'paid') AND a.decided_at >= ? AND a.decided_at < ?
                    GROUP BY p.id ORDER BY p.level, p.id
                    """,
                arguments: [from, to])
            let blank = rows.filter { ($0["granted"] as Int64) == 0 }.map { JSONValue.string($0["id"]) }
            return [
                "year": .int(year), "blank_spots": .array(blank), "procuratorates": .array(rows.map { $0.jsonObject() }),
                "no_blank_spots": .bool(blank.isEmpty && !rows.isEmpty),
            ]
        }
    }
}
