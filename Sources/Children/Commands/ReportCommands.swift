import BanshiKit
import Foundation
import GRDB

/// Mandatory reports (强制报告) and pre-employment inquiries (入职查询).
enum ReportCommands {
    static func all(_ settings: ChildrenSettings) -> [CommandSpec] { [receive(settings), addRecord, inquire] }

    static func receive(_ settings: ChildrenSettings) -> CommandSpec {
        CommandSpec(
            "mandatory-report.receive", "receive a mandatory report; it opens a victim case for the child",
            arguments: [
                ArgumentSpec("reporter", .string, required: true, "who reported (person and organisation)"),
                ArgumentSpec("sector", .string, required: true, choices: ReportingSector.names, "the reporter's sector"),
                ArgumentSpec("situation", .string, required: true, "what was reported"),
                ArgumentSpec("child_id", .string, required: true, "the child concerned (register the child first)"),
                ArgumentSpec("offence_type", .string, required: true, choices: VictimOffence.names, "the suspected offence"),
                ArgumentSpec("received_at", .time, "when it came in (default: now)"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let childID = try arguments.string("child_id")
            let caseID = try VictimCommands.open(
                child: childID, offence: try arguments.choice("offence_type"), events: &events, now: context.now, settings: settings)
            let id = OpaqueID.make("MR")
            let sector = try arguments.string("sector")
            try events.db.execute(
                sql: "INSERT INTO mandatory_report (id, reporter, sector, situation, received_at, case_id) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    id, try arguments.text("reporter"), sector, try arguments.text("situation"),
                    Timestamp.format(arguments.optionalTime("received_at") ?? context.now), caseID,
                ])
            try events.emit(
                "children.mandatory-report.received", subject: "case/\(caseID)",
                data: ["report_id": .string(id), "case_id": .string(caseID), "child_id": .string(childID), "sector": .string(sector)])
            return ["report_id": .string(id), "case_id": .string(caseID)]
        }
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
            events.db, sql: "SELECT id FROM barring_record WHERE id_number = ? AND kind = ? AND court_reference = ?",
            arguments: [number.text, kind, reference])
        {
            throw CommandError(.conflict, "this record is already registered as \(existing)", details: ["record_id": .string(existing)])
        }
        let id = OpaqueID.make("BR")
        try events.db.execute(
            sql: "INSERT INTO barring_record (id, id_number, kind, court_reference) VALUES (?, ?, ?, ?)",
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
            events.db, sql: "SELECT DISTINCT kind FROM barring_record WHERE id_number = ? ORDER BY kind", arguments: [number.text])
        let hit = !kinds.isEmpty
        let id = OpaqueID.make("EI")
        try events.db.execute(
            sql: """
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
