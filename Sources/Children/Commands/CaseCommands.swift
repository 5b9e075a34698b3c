import BanshiKit
import Foundation
import GRDB

/// Reading cases for admins: one case whole, or a filtered list.
enum CaseCommands {
    static let all = [get, list]
    static let offenderBooleans: Set<String> = ["repentance", "probation_due_emitted"]
    static let victimBooleans: Set<String> = ["intervention_overdue_emitted"]

    static let get = CommandSpec(
        "case.get", "one offender or victim case with everything recorded on it",
        arguments: [ArgumentSpec("case_id", .string, required: true, "the case")]
    ) { context in
        let id = try context.arguments.string("case_id")
        return try await context.read { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM offender_case WHERE id = ?", arguments: [id]),
                case .object(var record) = row.jsonObject(booleans: offenderBooleans)
            {
                record["kind"] = "offender"
                record["help_education_plans"] = try db.jsonRows("SELECT * FROM help_education_plan WHERE case_id = ? ORDER BY starts_on", [id])
                return .object(record)
            }
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM victim_case WHERE id = ?", arguments: [id]),
                case .object(var record) = row.jsonObject(booleans: victimBooleans)
            {
                record["kind"] = "victim"
                for (key, sql) in [
                    ("interviews", "SELECT * FROM interview WHERE case_id = ? ORDER BY held_at"),
                    ("legal_aid_requests", "SELECT * FROM legal_aid_request WHERE case_id = ? ORDER BY requested_at"),
                    ("referrals", "SELECT * FROM abuse_referral WHERE case_id = ?"),
                    ("mandatory_reports", "SELECT * FROM mandatory_report WHERE case_id = ?"),
                ] {
                    record[key] = try db.jsonRows(sql, [id])
                }
                return .object(record)
            }
            throw CommandError(.notFound, "no case '\(id)'", field: "case_id")
        }
    }.confidential()

    static let list = CommandSpec(
        "case.list", "cases of one kind, filtered, oldest first",
        arguments: [
            ArgumentSpec("kind", .string, required: true, choices: ["offender", "victim"], "which cases"),
            ArgumentSpec("child_id", .string, "only this child's"),
            ArgumentSpec("status", .string, choices: OffenderCaseStatus.names, "offender cases in this status"),
            ArgumentSpec("offence_type", .string, choices: VictimOffence.names, "victim cases of this offence"),
            PageLimit.records.argument,
        ]
    ) { context in
        let arguments = context.arguments
        let limit = try PageLimit.records.value(arguments)
        let child = arguments.optionalString("child_id")
        if try arguments.string("kind") == "offender" {
            return [
                "cases": try await context.rows(
                    """
                    SELECT id, child_id, charge, crime_chapter, status, decided_on, probation_ends, registered_at FROM offender_case
                    WHERE (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY registered_at, id LIMIT ?3
                    """,
                    [child, arguments.optionalString("status"), limit])
            ]
        }
        return [
            "cases": try await context.rows(
                """
                SELECT id, child_id, offence_type, registered_at, intervention_due_at, intervened_at, aid_decision FROM victim_case
                WHERE (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR offence_type = ?2) ORDER BY registered_at, id LIMIT ?3
                """,
                [child, arguments.optionalString("offence_type"), limit])
        ]
    }
}
