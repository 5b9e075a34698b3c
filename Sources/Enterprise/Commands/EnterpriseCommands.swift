import BanshiKit
import SQLite

/// Registering enterprises and the cases linked to them, and reading an enterprise whole.
enum EnterpriseCommands {
    static func all(_ settings: EnterpriseSettings) -> [CommandSpec] { [register(settings), linkCase, get, timeline] }

    static func register(_ settings: EnterpriseSettings) -> CommandSpec {
        CommandSpec(
            "enterprise.register", "register an enterprise by its unified social credit code; its contact stays in this service",
            arguments: [
                ArgumentSpec("credit_code", .string, required: true, "the 18-character unified social credit code (its check character is verified)"),
                ArgumentSpec("name", .string, required: true, "the registered name"),
                ArgumentSpec("registered_address", .string, required: true, "the registered address"),
                ArgumentSpec("industry", .string, required: true, "the industry"),
                ArgumentSpec("size", .string, required: true, choices: EnterpriseSize.names, "the size class"),
                ArgumentSpec("contact_name", .string, "who to contact"),
                ArgumentSpec("contact_phone", .string, "their phone"),
                ArgumentSpec("check_interval_days", .integer, "days between legal health checks (default: the service's \(settings.healthCheckIntervalDays))"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let code = try CreditCode(try arguments.string("credit_code"), field: "credit_code")
            let interval = try arguments.int("check_interval_days", default: Int64(settings.healthCheckIntervalDays), in: 1...3650)
            let db = events.db
            if try Bool.fetchOne(db, cached: "SELECT 1 FROM enterprise WHERE id = ?", arguments: [code.text]) == true {
                throw CommandError(.conflict, "the enterprise \(code) is already registered", field: "credit_code")
            }
            let firstCheck = CalendarDate(context.now).adding(days: Int(interval))
            try db.execute(
                cached: """
                    INSERT INTO enterprise (id, name, registered_address, industry, size, contact_name, contact_phone, check_interval_days,
                                            next_check_due, registered_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    code.text, try arguments.text("name"), try arguments.text("registered_address"), try arguments.text("industry"),
                    try arguments.string("size"), arguments.optionalString("contact_name"), arguments.optionalString("contact_phone"),
                    arguments.values["check_interval_days"] == nil ? nil : interval, firstCheck.description, Timestamp.format(context.now),
                ])
            try events.emit(
                "enterprise.enterprise.registered", subject: "enterprise/\(code)",
                data: [
                    "enterprise_id": .string(code.text), "industry": .string(try arguments.text("industry")),
                    "size": .string(try arguments.string("size")), "next_check_due": .string(firstCheck.description),
                ])
            return ["enterprise_id": .string(code.text), "next_check_due": .string(firstCheck.description)]
        }
    }

    static let linkCase = CommandSpec(
        "case.link", "link a case handled since 2016 to an enterprise",
        arguments: [
            ArgumentSpec("enterprise_id", .string, required: true, "the enterprise's credit code"),
            ArgumentSpec("case_number", .string, required: true, "the case number, e.g. 苏检刑诉〔2019〕12号"),
            ArgumentSpec("role", .string, required: true, choices: CaseRole.names, "what the enterprise was in the case"),
            ArgumentSpec("procuratorate", .string, required: true, "the procuratorate that handled it"),
            ArgumentSpec("handled_on", .date, required: true, "when it was handled (2016-01-01 or later)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let code = try Lookup.enterprise(events.db, arguments)
        let handled = try context.pastDay("handled_on")
        guard handled >= CalendarDate(year: 2016, month: 1, day: 1)! else {
            throw CommandError(.invalidArgument, "the programme covers cases handled since 2016, not \(handled)", field: "handled_on")
        }
        let caseNumber = try arguments.text("case_number")
        if try Bool.fetchOne(events.db, cached: "SELECT 1 FROM enterprise_case WHERE enterprise_id = ? AND case_number = ?", arguments: [code.text, caseNumber]) == true {
            throw CommandError(.conflict, "case \(caseNumber) is already linked to \(code)", field: "case_number")
        }
        try events.db.execute(
            cached: "INSERT INTO enterprise_case (id, enterprise_id, case_number, role, procuratorate, handled_on) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [OpaqueID.make("EC"), code.text, caseNumber, try arguments.string("role"), try arguments.text("procuratorate"), handled.description])
        try events.emit(
            "enterprise.case.linked", subject: "enterprise/\(code)",
            data: ["enterprise_id": .string(code.text), "role": .string(try arguments.string("role"))])
        return ["enterprise_id": .string(code.text), "case_number": .string(caseNumber)]
    }

    static let get = CommandSpec(
        "enterprise.get", "an enterprise whole: its record with contact, linked cases, risk flags and notices, compliance programs",
        arguments: [ArgumentSpec("enterprise_id", .string, required: true, "the credit code")]
    ) { context in
        try await context.read { db in
            let code = try CreditCode(try context.arguments.string("enterprise_id"), field: "enterprise_id")
            guard case .object(var record) = try EnterpriseViews.enterprise.one(db, id: code.text, what: "enterprise", field: "enterprise_id")
            else { return .null }
            record["cases"] = try EnterpriseViews.enterpriseCase.all(db, where: "enterprise_id = ?", [code.text], order: "handled_on, id")
            record["compliance_programs"] = try EnterpriseViews.compliance.all(db, where: "enterprise_id = ?", [code.text], order: "proposed_on, id")
            record["risk_flags"] = try EnterpriseViews.riskFlag.all(db, where: "enterprise_id = ?", [code.text], order: "raised_at, id")
            record["risk_notices"] = try EnterpriseViews.riskNotice.all(db, where: "enterprise_id = ?", [code.text], order: "rowid")
            return .object(record)
        }
    }.confidential()

    static let timeline = CommandSpec(
        "enterprise.timeline", "everything that happened with one enterprise, in order: its events from the log",
        arguments: [ArgumentSpec("enterprise_id", .string, required: true, "the credit code")]
    ) { context in
        try await context.read { db in
            let code = try Lookup.enterprise(db, context.arguments)
            let entries = try EventTimeline.events(db, key: code.text)
            return ["enterprise_id": .string(code.text), "events": .array(entries)]
        }
    }
}
