import BanshiKit
import SQLite

/// Cases from leads. Administrative: consultation, then a pre-litigation procuratorial suggestion the
/// agency must answer within two calendar months (15 days when urgent), then litigation if it does not
/// act. Civil: a 30-day public announcement, then a civil public-interest suit. Each step checks where
/// the case stands and refuses any other with `conflict`.
enum CaseCommands {
    static func all(_ settings: PublicInterestSettings) -> [CommandSpec] { [open, suggest(settings), reply, litigate, announce(settings), sue, close, followUp(settings), get] }

    static let caseArgument = ArgumentSpec("case_id", .string, required: true, "the case")

    /// The case's kind and stage, or `not_found`.
    static func stage(_ db: Database, _ id: String) throws -> (kind: CaseKind, stage: CaseStage, row: Row) {
        guard let row = try Row.fetchOne(db, cached: "SELECT * FROM case_file WHERE id = ?", arguments: [id]) else {
            throw CommandError(.notFound, "no case '\(id)'", field: "case_id")
        }
        return (CaseKind(rawValue: row["kind"])!, CaseStage(rawValue: row["stage"])!, row)
    }

    /// Refuses unless the case is of `kind` and at one of `stages`.
    static func require(_ current: (kind: CaseKind, stage: CaseStage, row: Row), _ kind: CaseKind, _ stages: [CaseStage], step: String) throws(CommandError) {
        guard current.kind == kind, stages.contains(current.stage) else {
            throw CommandError(
                .conflict, "\(step) needs \(kind.namedInText) at \(stages.map(\.rawValue).joined(separator: " or ")); this is \(current.kind.namedInText) at \(current.stage.rawValue)",
                details: ["field": "case_id", "stage": .string(current.stage.rawValue)])
        }
    }

    static func emit(_ events: inout EventAppender, _ type: String, _ id: String, _ data: [String: JSONValue] = [:]) throws {
        var all = data
        all["case_id"] = .string(id)
        try events.emit(type, subject: "case/\(id)", data: .object(all))
    }

    static let open = CommandSpec(
        "case.open", "open an administrative or civil public-interest case from a lead",
        arguments: [
            ArgumentSpec("lead_id", .string, required: true, "the lead"), ArgumentSpec("kind", .string, required: true, choices: CaseKind.names, "which kind"),
            ArgumentSpec("agency", .string, "administrative: the agency responsible"),
            ArgumentSpec("opened_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let lead = try arguments.string("lead_id")
        guard let status = try String.fetchOne(events.db, cached: "SELECT status FROM lead WHERE id = ?", arguments: [lead]) else {
            throw CommandError(.notFound, "no lead '\(lead)'", field: "lead_id")
        }
        guard status == "open" else { throw CommandError(.conflict, "lead \(lead) has a case already", field: "lead_id") }
        let kind: CaseKind = try arguments.choice("kind")
        if kind == .administrative, arguments.values["agency"] == nil { throw CommandError(.invalidArgument, "an administrative case names the agency", field: "agency") }
        let opened = try context.pastDay("opened_on")
        let id = OpaqueID.make("PI")
        try events.db.execute(
            cached: "INSERT INTO case_file (id, lead_id, kind, stage, agency, opened_on) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, lead, kind.rawValue, kind == .administrative ? "consultation" : "announcement", arguments.optionalString("agency"), opened.description])
        try events.db.execute(cached: "UPDATE lead SET status = 'case' WHERE id = ?", arguments: [lead])
        try emit(&events, "public-interest.case.opened", id, ["lead_id": .string(lead), "kind": .string(kind.rawValue)])
        return ["case_id": .string(id), "stage": .string(kind == .administrative ? "consultation" : "announcement")]
    }

    static func suggest(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "case.suggest", "issue the pre-litigation procuratorial suggestion after consultation; the agency's reply is due in \(settings.suggestionReplyMonths) months (\(settings.urgentReplyDays) days when urgent)",
            arguments: [caseArgument, ArgumentSpec("urgent", .boolean, "urgent (default false)"), ArgumentSpec("issued_on", .date, "the day (default: today)")]
        ) { context, events in
            let id = try context.arguments.string("case_id")
            let current = try stage(events.db, id)
            try require(current, .administrative, [.consultation], step: "a suggestion")
            let issued = try context.pastDay("issued_on", notBefore: current.row.day("opened_on"), "the case was opened")
            let urgent = context.arguments.bool("urgent", default: false)
            let due = SuggestionDeadline.due(issuedOn: issued, urgent: urgent, months: settings.suggestionReplyMonths, urgentDays: settings.urgentReplyDays)
            try events.db.execute(
                cached: "UPDATE case_file SET stage = 'suggestion', suggestion_issued_on = ?, urgent = ?, suggestion_due = ? WHERE id = ?",
                arguments: [issued.description, urgent, due.description, id])
            try emit(&events, "public-interest.suggestion.issued", id, ["urgent": .bool(urgent), "issued_on": .string(issued.description), "reply_due": .string(due.description)])
            return ["case_id": .string(id), "reply_due": .string(due.description)]
        }
    }

    static let reply = CommandSpec(
        "case.reply", "record the agency's reply to the suggestion: whether it acted, and on which day",
        arguments: [caseArgument, ArgumentSpec("acted", .boolean, required: true, "whether the agency acted"), ArgumentSpec("replied_on", .date, "the day (default: today)")]
    ) { context, events in
        let id = try context.arguments.string("case_id")
        let current = try stage(events.db, id)
        try require(current, .administrative, [.suggestion], step: "a reply")
        guard (current.row["replied_on"] as String?) == nil else { throw CommandError(.conflict, "the agency's reply is recorded already", field: "case_id") }
        let day = try context.pastDay("replied_on", notBefore: current.row.day("suggestion_issued_on"), "the suggestion was issued")
        let acted = context.arguments.bool("acted", default: false)
        let due = CalendarDate(current.row["suggestion_due"] as String)!
        try events.db.execute(cached: "UPDATE case_file SET replied_on = ?, agency_acted = ? WHERE id = ?", arguments: [day.description, acted, id])
        try emit(&events, "public-interest.suggestion.answered", id, ["acted": .bool(acted), "on_time": .bool(day <= due), "due_on": .string(due.description)])
        return ["case_id": .string(id), "on_time": .bool(day <= due)]
    }

    static let litigate = CommandSpec(
        "case.litigate", "bring an administrative public-interest suit: only once the agency has not acted (it said so, or its reply is overdue)",
        arguments: [caseArgument]
    ) { context, events in
        let id = try context.arguments.string("case_id")
        let current = try stage(events.db, id)
        try require(current, .administrative, [.suggestion], step: "litigation")
        let acted = current.row["agency_acted"] as Bool?
        let due = CalendarDate(current.row["suggestion_due"] as String)!
        let today = CalendarDate(context.now)
        guard acted == false || (acted == nil && today > due) else {
            throw CommandError(
                .conflict, acted == true ? "the agency acted on the suggestion" : "the agency's reply is due by \(due); litigation waits until then",
                details: ["field": "case_id", "stage": "suggestion"])
        }
        try events.db.execute(cached: "UPDATE case_file SET stage = 'litigation', litigated_on = ? WHERE id = ?", arguments: [today.description, id])
        try emit(&events, "public-interest.case.litigated", id, ["kind": "administrative", "litigated_on": .string(today.description)])
        return ["case_id": .string(id), "stage": "litigation"]
    }

    static func announce(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "case.announce", "start a civil case's \(settings.announcementDays)-day public announcement",
            arguments: [caseArgument, ArgumentSpec("announced_on", .date, "the first day (default: today)")]
        ) { context, events in
            let id = try context.arguments.string("case_id")
            let current = try stage(events.db, id)
            try require(current, .civil, [.announcement], step: "an announcement")
            guard (current.row["announced_on"] as String?) == nil else { throw CommandError(.conflict, "the announcement has begun already", field: "case_id") }
            let day = try context.pastDay("announced_on", notBefore: current.row.day("opened_on"), "the case was opened")
            let ends = day.adding(days: settings.announcementDays - 1)
            try events.db.execute(cached: "UPDATE case_file SET announced_on = ?, announcement_ends = ? WHERE id = ?", arguments: [day.description, ends.description, id])
            try emit(&events, "public-interest.announcement.started", id, ["announced_on": .string(day.description), "ends_on": .string(ends.description)])
            return ["case_id": .string(id), "ends_on": .string(ends.description)]
        }
    }

    static let sue = CommandSpec(
        "case.sue", "bring a civil public-interest suit once the announcement has run its course",
        arguments: [caseArgument]
    ) { context, events in
        let id = try context.arguments.string("case_id")
        let current = try stage(events.db, id)
        try require(current, .civil, [.announcement], step: "a civil suit")
        let today = CalendarDate(context.now)
        guard let ends = current.row.day("announcement_ends"), today > ends else {
            throw CommandError(.conflict, "the public announcement has not run its course", details: ["field": "case_id", "stage": "announcement"])
        }
        try events.db.execute(cached: "UPDATE case_file SET stage = 'suit', litigated_on = ? WHERE id = ?", arguments: [today.description, id])
        try emit(&events, "public-interest.case.litigated", id, ["kind": "civil", "litigated_on": .string(today.description)])
        return ["case_id": .string(id), "stage": "suit"]
    }

    static let close = CommandSpec(
        "case.close", "close a case with its outcome",
        arguments: [caseArgument, ArgumentSpec("outcome", .string, required: true, "how it ended")]
    ) { context, events in
        let id = try context.arguments.string("case_id")
        let current = try stage(events.db, id)
        guard current.stage != .closed else { throw CommandError(.conflict, "case \(id) is closed already", details: ["field": "case_id", "stage": "closed"]) }
        try events.db.execute(
            cached: "UPDATE case_file SET stage = 'closed', closed_on = ?, outcome = ? WHERE id = ?",
            arguments: [CalendarDate(context.now).description, try context.arguments.text("outcome"), id])
        try emit(&events, "public-interest.case.closed", id, ["from_stage": .string(current.stage.rawValue)])
        return ["case_id": .string(id), "stage": "closed"]
    }

    /// `case.follow-up`: a visit after the case that takes a new sample at the same site, judged like any other.
    static func followUp(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "case.follow-up", "record a follow-up visit with a new sample at the case's site (water: nh3n, tp, cod; food: item, category, substance, value)",
            arguments: [
                caseArgument, ArgumentSpec("note", .string, required: true, "what was seen"),
                ArgumentSpec("nh3n", .number, "water"), ArgumentSpec("tp", .number, "water"), ArgumentSpec("cod", .number, "water"),
                ArgumentSpec("item", .string, "food"), ArgumentSpec("category", .string, "food"), ArgumentSpec("substance", .string, "food"),
                ArgumentSpec("value", .number, "food, mg/kg"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let id = try arguments.string("case_id")
            _ = try stage(events.db, id)
            let row = try Row.fetchOne(
                events.db, cached: "SELECT s.id, s.kind FROM case_file c JOIN lead l ON l.id = c.lead_id JOIN site s ON s.id = l.site_id WHERE c.id = ?", arguments: [id])!
            let site: String = row[0]
            let today = CalendarDate(context.now)
            let sample: JSONValue
            if (row[1] as String) == "water" {
                sample = try SampleCommands.waterSample(&events, settings, siteID: site, day: today, values: try SampleCommands.waterValues(arguments.values) { $0 }, importID: nil, now: context.now)
            } else {
                guard let value = arguments.optionalDouble("value") else { throw CommandError(.invalidArgument, "a food follow-up gives the measured value", field: "value") }
                sample = try SampleCommands.foodSample(
                    &events, settings, siteID: site, day: today, item: try arguments.text("item"), category: try arguments.text("category"),
                    substance: try arguments.text("substance"), value: value, importID: nil, now: context.now)
            }
            let visit = OpaqueID.make("FU")
            try events.db.execute(
                cached: "INSERT INTO follow_up_visit (id, case_id, sample_id, visited_on, note) VALUES (?, ?, ?, ?, ?)",
                arguments: [visit, id, sample["sample_id"]!.stringValue!, today.description, try arguments.text("note")])
            try emit(&events, "public-interest.follow-up.visited", id, ["sample_id": sample["sample_id"]!, "passed": sample["passed"]!])
            return ["case_id": .string(id), "sample": sample]
        }
    }

    static let get = CommandSpec(
        "case.get", "one case whole: its stage and deadlines, the sample before, the follow-up samples after, side by side, and its evidence",
        arguments: [caseArgument]
    ) { context in
        let id = try context.arguments.string("case_id")
        return try await context.read { db in
            guard case .object(var record) = try PublicInterestViews.caseFile.one(db, id: id, what: "case", field: "case_id") else { return .null }
            record["before"] = try PublicInterestViews.sample.all(db, where: "id = (SELECT sample_id FROM lead WHERE id = ?)", [record["lead_id"]!.stringValue!], order: "id")
            record["after"] = try PublicInterestViews.sample.all(db, where: "id IN (SELECT sample_id FROM follow_up_visit WHERE case_id = ?)", [id], order: "sampled_on, id")
            record["evidence"] = try PublicInterestViews.evidence.all(db, where: "lead_id = ?", [record["lead_id"]!.stringValue!], order: "registered_at, id")
            return .object(record)
        }
    }
}
