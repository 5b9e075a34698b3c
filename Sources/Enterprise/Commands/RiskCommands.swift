import BanshiKit
import SQLite

/// Legal health checks (法治体检) on each enterprise's schedule, risk notices (法律风险提示函), and the
/// compliance risk flags other services raise (coordinator rule 3).
enum RiskCommands {
    static func all(_ settings: EnterpriseSettings) -> [CommandSpec] { [healthCheck(settings), issueNotice, respond, flag(settings)] }

    /// The interval of `enterprise`'s checks: its own, or the service's.
    static func interval(_ db: Database, _ enterprise: String, _ settings: EnterpriseSettings) throws -> Int {
        Int(try Int64.fetchOne(db, cached: "SELECT check_interval_days FROM enterprise WHERE id = ?", arguments: [enterprise]) ?? Int64(settings.healthCheckIntervalDays))
    }

    static func healthCheck(_ settings: EnterpriseSettings) -> CommandSpec {
        CommandSpec(
            "health-check.record", "record a legal health check performed; the next falls due one interval later",
            arguments: [
                ArgumentSpec("enterprise_id", .string, required: true, "the enterprise's credit code"),
                ArgumentSpec("findings", .string, required: true, "what the check found"),
                ArgumentSpec("performed_on", .date, "the day (default: today)"),
            ]
        ) { context, events in
            let db = events.db
            let code = try Lookup.enterprise(db, context.arguments)
            let performed = try context.pastDay("performed_on")
            let due = CalendarDate(try String.fetchOne(db, cached: "SELECT next_check_due FROM enterprise WHERE id = ?", arguments: [code.text])!)!
            let next = performed.adding(days: try interval(db, code.text, settings))
            let id = OpaqueID.make("HC")
            try db.execute(
                cached: "INSERT INTO health_check (id, enterprise_id, performed_on, due_on, findings, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, code.text, performed.description, due.description, try context.arguments.text("findings"), Timestamp.format(context.now)])
            try db.execute(cached: "UPDATE enterprise SET next_check_due = ? WHERE id = ?", arguments: [next.description, code.text])
            try events.emit(
                "enterprise.health-check.performed", subject: "enterprise/\(code)",
                data: [
                    "check_id": .string(id), "enterprise_id": .string(code.text), "performed_on": .string(performed.description),
                    "due_on": .string(due.description), "on_time": .bool(performed <= due), "next_check_due": .string(next.description),
                ])
            return ["check_id": .string(id), "on_time": .bool(performed <= due), "next_check_due": .string(next.description)]
        }
    }

    static let issueNotice = CommandSpec(
        "risk-notice.issue", "issue a legal risk notice: a new one, or one a risk flag proposed (notice_id)",
        arguments: [
            ArgumentSpec("enterprise_id", .string, "the enterprise's credit code (a new notice)"),
            ArgumentSpec("notice_id", .string, "a proposed notice to issue"),
            ArgumentSpec("risk", .string, "the risk (a new notice; a proposed one keeps its own unless given)"),
            ArgumentSpec("measures", .string, required: true, "the recommended measures"),
            ArgumentSpec("issued_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let db = events.db
        let day = try context.pastDay("issued_on")
        let id: String
        let enterprise: String
        if let notice = arguments.optionalString("notice_id") {
            guard let row = try Row.fetchOne(db, cached: "SELECT enterprise_id, status FROM risk_notice WHERE id = ?", arguments: [notice]) else {
                throw CommandError(.notFound, "no risk notice '\(notice)'", field: "notice_id")
            }
            guard (row[1] as String) == "proposed" else { throw CommandError(.conflict, "risk notice \(notice) is \(row[1] as String) already", field: "notice_id") }
            (id, enterprise) = (notice, row[0])
            try db.execute(
                cached: "UPDATE risk_notice SET status = 'issued', measures = ?, issued_on = ?, risk = COALESCE(?, risk) WHERE id = ?",
                arguments: [try arguments.text("measures"), day.description, arguments.optionalString("risk"), id])
        } else {
            guard arguments.values["enterprise_id"] != nil else {
                throw CommandError(.invalidArgument, "name the enterprise (enterprise_id) for a new notice, or a proposed notice (notice_id)", field: "enterprise_id")
            }
            enterprise = try Lookup.enterprise(db, arguments).text
            id = OpaqueID.make("RN")
            try db.execute(
                cached: "INSERT INTO risk_notice (id, enterprise_id, status, risk, measures, issued_on) VALUES (?, ?, 'issued', ?, ?, ?)",
                arguments: [id, enterprise, try arguments.text("risk"), try arguments.text("measures"), day.description])
        }
        try events.emit(
            "enterprise.risk-notice.issued", subject: "enterprise/\(enterprise)", data: ["notice_id": .string(id), "enterprise_id": .string(enterprise)])
        return ["notice_id": .string(id), "status": "issued"]
    }

    static let respond = CommandSpec(
        "risk-notice.respond", "record the enterprise's response to an issued risk notice",
        arguments: [
            ArgumentSpec("notice_id", .string, required: true, "the notice"), ArgumentSpec("response", .string, required: true, "what the enterprise did or said"),
            ArgumentSpec("responded_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let id = try context.arguments.string("notice_id")
        guard let row = try Row.fetchOne(events.db, cached: "SELECT enterprise_id, status, issued_on FROM risk_notice WHERE id = ?", arguments: [id]) else {
            throw CommandError(.notFound, "no risk notice '\(id)'", field: "notice_id")
        }
        guard (row[1] as String) == "issued" else {
            throw CommandError(.conflict, "risk notice \(id) is \(row[1] as String); only an issued notice is answered", field: "notice_id")
        }
        let day = try context.pastDay("responded_on", notBefore: row.day("issued_on"), "the notice was issued")
        try events.db.execute(
            cached: "UPDATE risk_notice SET status = 'responded', response = ?, responded_on = ? WHERE id = ?",
            arguments: [try context.arguments.text("response"), day.description, id])
        let enterprise: String = row[0]
        try events.emit("enterprise.risk-notice.responded", subject: "enterprise/\(enterprise)", data: ["notice_id": .string(id), "enterprise_id": .string(enterprise)])
        return ["notice_id": .string(id), "status": "responded"]
    }

    /// `risk.flag`: what another service (public interest, through the coordinator) raises against an
    /// enterprise it knows by credit code. Idempotent by the routed request id; one flag per source
    /// reference. An unknown credit code is `not_found`, which the coordinator dead-letters with that reason.
    static func flag(_ settings: EnterpriseSettings) -> CommandSpec {
        CommandSpec(
            "risk.flag", "record a compliance risk raised by another service; the health check is brought forward and a risk notice proposed",
            arguments: [
                ArgumentSpec("credit_code", .string, required: true, "the enterprise's unified social credit code"),
                ArgumentSpec("source_service", .string, required: true, "the service that raised it"),
                ArgumentSpec("source_ref", .string, required: true, "its reference there (a lead, a sample)"),
                ArgumentSpec("reason", .string, required: true, "the risk, as the source service saw it"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let db = events.db
            let code = try Lookup.enterprise(db, arguments, field: "credit_code")
            let source = try arguments.text("source_service")
            let reference = try arguments.text("source_ref")
            try ServiceReference.check(service: source, reference: reference, own: "enterprise", serviceField: "source_service", referenceField: "source_ref")
            if let existing = try String.fetchOne(db, cached: "SELECT id FROM risk_flag WHERE source_service = ? AND source_ref = ?", arguments: [source, reference]) {
                throw CommandError(.conflict, "\(source) \(reference) already raised flag \(existing)", field: "source_ref")
            }
            let flagID = OpaqueID.make("RF")
            let noticeID = OpaqueID.make("RN")
            let reason = try arguments.text("reason")
            try db.execute(
                cached: "INSERT INTO risk_flag (id, enterprise_id, source_service, source_ref, reason, raised_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [flagID, code.text, source, reference, reason, Timestamp.format(context.now)])
            try db.execute(
                cached: "INSERT INTO risk_notice (id, enterprise_id, status, risk, flag_id) VALUES (?, ?, 'proposed', ?, ?)",
                arguments: [noticeID, code.text, reason, flagID])
            let soon = CalendarDate(context.now).adding(days: settings.flagCheckDays).description
            try db.execute(cached: "UPDATE enterprise SET next_check_due = min(next_check_due, ?) WHERE id = ?", arguments: [soon, code.text])
            let due = try String.fetchOne(db, cached: "SELECT next_check_due FROM enterprise WHERE id = ?", arguments: [code.text])!
            try events.emit(
                "enterprise.risk.flagged", subject: "enterprise/\(code)",
                data: [
                    "flag_id": .string(flagID), "enterprise_id": .string(code.text), "source_service": .string(source), "source_ref": .string(reference),
                    "notice_id": .string(noticeID), "next_check_due": .string(due),
                ])
            return ["flag_id": .string(flagID), "notice_id": .string(noticeID), "next_check_due": .string(due)]
        }
    }
}
