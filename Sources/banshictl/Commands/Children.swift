import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl children …`: the children program's records for admins, as tables (or `--json`).
///
/// Changes go through `banshictl call children COMMAND`; `banshictl call children help` lists them.
struct ChildrenRecords: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "children",
        abstract: "Read the children program's records: children, cases, timelines, school coverage.",
        discussion: "State-changing commands go through `banshictl call children COMMAND --arg k=v`; `banshictl call children help` lists them.",
        subcommands: [List.self, Show.self, Timeline.self, Cases.self, Case.self, Coverage.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List children, oldest registration first.")
        @OptionGroup var options: RecordOptions
        @Option(help: "Only children with this migrant status (migrant, left-behind, local).") var migrantStatus: String?
        @Option(help: "Only children of this school id.") var school: String?
        @Option(help: "At most this many (1 to 1000).") var limit: Int = 100

        func run() throws {
            var args: [String: JSONValue] = ["limit": .int(Int64(limit))]
            if let migrantStatus { args["migrant_status"] = .string(migrantStatus) }
            if let school { args["school_id"] = .string(school) }
            try options.show(service: "children", "child.list", args) { listingTable($0, "children") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one child's record, guardians and cases.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The child's id.") var childID: String

        func run() throws {
            try options.show(service: "children", "child.get", ["child_id": .string(childID)]) { record in
                [
                    recordFields(record),
                    "\nGuardians\n" + recordTable(record["guardians"]?.arrayValue, [("NAME", "name"), ("RELATION", "relation"), ("PHONE", "phone")]),
                    "\nOffender cases\n" + recordTable(record["offender_cases"]?.arrayValue, [
                        ("CASE", "id"), ("CHARGE", "charge"), ("STATUS", "status"), ("PROBATION ENDS", "probation_ends"),
                    ]),
                    "\nVictim cases\n" + recordTable(record["victim_cases"]?.arrayValue, [
                        ("CASE", "id"), ("OFFENCE", "offence_type"), ("REGISTERED", "registered_at"), ("INTERVENED", "intervened_at"),
                        ("AID", "aid_decision"),
                    ]),
                    "\nGuardianship measures\n" + recordTable(record["guardianship_measures"]?.arrayValue, [
                        ("MEASURE", "id"), ("KIND", "kind"), ("FOLLOW-UP DUE", "follow_up_due"), ("OUTCOME", "outcome"),
                    ]),
                ].joined(separator: "\n")
            }
        }
    }

    struct Timeline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show everything that happened to one child, in order.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The child's id.") var childID: String

        func run() throws {
            try options.show(service: "children", "child.timeline", ["child_id": .string(childID)]) { result in
                recordTable(result["events"]?.arrayValue, [
                    ("SEQ", "seq"), ("TIME", "time"), ("EVENT", "type"), ("SUBJECT", "subject"), ("DATA", "data"),
                ])
            }
        }
    }

    struct Cases: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List offender or victim cases.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "offender or victim.") var kind: String
        @Option(help: "Only this child's cases.") var child: String?
        @Option(help: "Offender cases in this status (registered, on-probation, revoked, not-prosecuted).") var status: String?
        @Option(help: "Victim cases of this offence type.") var offence: String?
        @Option(help: "At most this many (1 to 1000).") var limit: Int = 100

        func run() throws {
            var args: [String: JSONValue] = ["kind": .string(kind), "limit": .int(Int64(limit))]
            if let child { args["child_id"] = .string(child) }
            if let status { args["status"] = .string(status) }
            if let offence { args["offence_type"] = .string(offence) }
            try options.show(service: "children", "case.list", args) { listingTable($0, "cases") }
        }
    }

    struct Case: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one case with everything recorded on it.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The case id.") var caseID: String

        func run() throws {
            try options.show(service: "children", "case.get", ["case_id": .string(caseID)], view: recordWithLists)
        }
    }

    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Legal-education coverage of schools for migrant workers' children.")
        @OptionGroup var options: RecordOptions
        @Option(help: "The calendar year (default: this year).") var year: Int?

        func run() throws {
            var args: [String: JSONValue] = [:]
            if let year { args["year"] = .int(Int64(year)) }
            try options.show(service: "children", "legal-education.coverage", args) { result in
                let rate = result["coverage"]?.doubleValue.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
                return "\(cell(result["covered"])) of \(cell(result["schools"])) schools covered in \(cell(result["year"])): \(rate)\n\n"
                    + recordTable(result["by_school"]?.arrayValue, [
                        ("SCHOOL", "id"), ("NAME", "name"), ("DISTRICT", "district"), ("SESSIONS", "sessions"), ("ATTENDEES", "attendees"),
                    ])
            }
        }
    }
}
