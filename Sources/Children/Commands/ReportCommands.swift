import BanshiKit
import SQLite

/// Mandatory reports (强制报告) and pre-employment inquiries (入职查询).
enum ReportCommands {
    static func all(_ settings: ChildrenSettings) -> [CommandSpec] { [receive(settings), passOn, addRecord, inquire] }

    static func receive(_ settings: ChildrenSettings) -> CommandSpec {
        CommandSpec(
            "mandatory-report.receive",
            "receive a mandatory report; it opens a victim case for the child and must be passed on to the police at once",
            arguments: [
                ArgumentSpec("reporter", .string, required: true, "who reported (person and organisation)"),
                ArgumentSpec("sector", .string, required: true, choices: ReportingSector.names, "the reporter's sector"),
                ArgumentSpec("situation", .string, required: true, "what was reported"),
                ArgumentSpec("child_id", .string, required: true, "the child concerned (register the child first)"),
                ArgumentSpec("offence_type", .string, required: true, choices: VictimOffence.names, "the suspected offence"),
                ArgumentSpec("received_at", .time, "when it came in, within the past year (default: now); the early-intervention and pass-on clocks start here"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let childID = try arguments.string("child_id")
            let received = try context.pastTime("received_at")
            let caseID = try VictimCommands.open(
                child: childID, offence: try arguments.choice("offence_type"), events: &events, now: context.now,
                clockStart: received, settings: settings)
            let id = OpaqueID.make("MR")
            let sector = try arguments.string("sector")
            let passOnDue = received.addingTimeInterval(Double(settings.mandatoryReportPassOnHours) * 3600)
            try events.db.execute(
                cached: """
                    INSERT INTO mandatory_report (id, reporter, sector, situation, received_at, recorded_at, pass_on_due_at, case_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, try arguments.text("reporter"), sector, try arguments.text("situation"), Timestamp.format(received),
                    Timestamp.format(context.now), Timestamp.format(passOnDue), caseID,
                ])
            let data: JSONValue = [
                "report_id": .string(id), "case_id": .string(caseID), "child_id": .string(childID), "sector": .string(sector),
                "received_at": .string(Timestamp.format(received)), "pass_on_due_at": .string(Timestamp.format(passOnDue)),
            ]
            try events.emit("children.mandatory-report.received", subject: "case/\(caseID)", data: data)
            return data
        }
    }

    static let passOn = CommandSpec(
        "mandatory-report.pass-on", "record that a mandatory report was passed on to the police: when, to which station, by whom",
        arguments: [
            ArgumentSpec("report_id", .string, required: true, "the mandatory report"),
            ArgumentSpec("police_station", .string, required: true, "the police station it went to"),
            ArgumentSpec("by", .string, required: true, "who passed it on (the officer of this procuratorate)"),
            ArgumentSpec("reported_at", .time, "when it was passed on, not before its receipt (default: now)"),
        ]
    ) { context, events in
        let row = try events.db.record(
            "mandatory_report", id: try context.arguments.string("report_id"), what: "mandatory report", field: "report_id")
        let id: String = row["id"]
        if let at: String = row["passed_on_at"] {
            throw CommandError(.conflict, "mandatory report \(id) was already passed on to the police at \(at)")
        }
        let received = Timestamp.parse(row["received_at"] as String)
        let reported = try context.pastTime("reported_at", notBefore: received)
        let due = (row["pass_on_due_at"] as String?).flatMap(Timestamp.parse)
        let onTime = due.map { reported <= $0 } ?? true
        let station = try context.arguments.text("police_station")
        try events.db.execute(
            cached: """
                UPDATE mandatory_report SET passed_on_at = ?, police_station = ?, passed_on_by = ?, passed_on_recorded_at = ?
                WHERE id = ?
                """,
            arguments: [Timestamp.format(reported), station, try context.arguments.text("by"), Timestamp.format(context.now), id])
        let caseID: String = row["case_id"]
        let data: JSONValue = [
            "report_id": .string(id), "case_id": .string(caseID), "passed_on_at": .string(Timestamp.format(reported)),
            "on_time": .bool(onTime),
        ]
        try events.emit("children.mandatory-report.passed-on", subject: "case/\(caseID)", data: data)
        return data
    }

    static let addRecord = CommandSpec(
        "barring-record.add", "add a criminal record that bars a person from work in close contact with minors",
        arguments: [
            ArgumentSpec("id_number", .string, required: true, "the person's identity number"),
            ArgumentSpec("kind", .string, required: true, choices: BarringRecord.names, "the kind of crime"),
            ArgumentSpec("court_reference", .string, required: true, "the judgment's reference"),
        ]
    ) { context, events in
        // No event: the register is consulted through inquiries, never broadcast.
        let arguments = context.arguments
        let number = try IdentityNumber(try arguments.string("id_number"), field: "id_number")
        let kind = try arguments.string("kind")
        let reference = try arguments.text("court_reference")
        if let existing = try String.fetchOne(
            events.db, cached: "SELECT id FROM barring_record WHERE id_number = ? AND kind = ? AND court_reference = ?",
            arguments: [number.text, kind, reference])
        {
            throw CommandError(.conflict, "this record is already registered as \(existing)", details: ["record_id": .string(existing)])
        }
        let id = OpaqueID.make("BR")
        try events.db.execute(
            cached: "INSERT INTO barring_record (id, id_number, kind, court_reference) VALUES (?, ?, ?, ?)",
            arguments: [id, number.text, kind, reference])
        return ["record_id": .string(id)]
    }

    static let inquire = CommandSpec(
        "employment.inquire", "check a candidate for barring records before an employer hires them",
        arguments: [
            ArgumentSpec("employer", .string, required: true, "the employer asking"),
            ArgumentSpec("candidate_id_number", .string, required: true, "the candidate's identity number"),
        ]
    ) { context, events in
        let number = try IdentityNumber(try context.arguments.string("candidate_id_number"), field: "candidate_id_number")
        let kinds = try String.fetchAll(
            events.db, cached: "SELECT DISTINCT kind FROM barring_record WHERE id_number = ? ORDER BY kind", arguments: [number.text])
        let hit = !kinds.isEmpty
        let id = OpaqueID.make("EI")
        try events.db.execute(
            cached: """
                INSERT INTO employment_inquiry (id, employer, candidate_id_number, inquired_at, hit, must_not_hire)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, try context.arguments.text("employer"), number.text, Timestamp.format(context.now), hit, hit])
        try events.emit(
            "children.employment.inquired", subject: "inquiry/\(id)", data: ["inquiry_id": .string(id), "hit": .bool(hit)])
        if hit {
            try events.emit(
                "children.employment.barred", subject: "inquiry/\(id)",
                data: ["inquiry_id": .string(id), "records": .array(kinds.map { .string($0) })])
        }
        return ["inquiry_id": .string(id), "hit": .bool(hit), "must_not_hire": .bool(hit), "records": .array(kinds.map { .string($0) })]
    }
}
