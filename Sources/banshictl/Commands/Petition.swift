import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl petition …`: the 12309 window's records for admins, as tables (or `--json`).
///
/// Changes go through `banshictl call petition COMMAND`; `banshictl call petition help` lists them.
struct PetitionRecords: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition",
        abstract: "Read the 12309 window: search guidelines, petitions and their deadlines, judicial aid, blank spots.",
        discussion: "State-changing commands go through `banshictl call petition COMMAND --arg k=v`; `banshictl call petition help` lists them.",
        subcommands: [Search.self, Guideline.self, Inquiries.self, Petitions.self, Show.self, Aid.self, AidCase.self, BlankSpots.self])

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the guideline knowledge base (Chinese substrings, ranked).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The search text; every term must occur.") var query: [String]
        @Option(help: "Only this category.") var category: String?
        @Option(help: "At most this many (1 to 100).") var limit: Int = 10

        func run() throws {
            var args: [String: JSONValue] = ["query": .string(query.joined(separator: " ")), "limit": .int(Int64(limit))]
            if let category { args["category"] = .string(category) }
            try options.show(service: "petition", "guideline.search", args) { result in
                // A terminal has no <mark>: show matches in 【】.
                let hits = (result["hits"]?.arrayValue ?? []).map { hit -> JSONValue in
                    guard case .object(var object) = hit, let snippet = hit["snippet"]?.stringValue else { return hit }
                    object["snippet"] = .string(
                        snippet.replacingOccurrences(of: "<mark>", with: "【").replacingOccurrences(of: "</mark>", with: "】")
                            .replacingOccurrences(of: "\n", with: " "))
                    return .object(object)
                }
                if hits.isEmpty { return "no guideline matches '\(query.joined(separator: " "))'" + (category.map { " in category \($0)" } ?? "") }
                return recordTable(hits, [("GUIDELINE", "guideline_id"), ("V", "version"), ("TITLE", "title"), ("POINTS", "score"), ("SNIPPET", "snippet")])
            }
        }
    }

    struct Guideline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a guideline (the current version, or --version N) and its history.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The guideline id.") var guidelineID: String
        @Option(help: "A past version.") var version: Int?

        func run() throws {
            var args: [String: JSONValue] = ["guideline_id": .string(guidelineID)]
            if let version { args["version"] = .int(Int64(version)) }
            try options.show(service: "petition", "guideline.get", args) { record in
                "\(cell(record["title"]))  (version \(cell(record["version"])) of \(cell(record["current_version"])), \(cell(record["category"])))\n\n\(cell(record["body"]))"
            }
        }
    }

    struct Inquiries: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List Q&A inquiries.")
        @OptionGroup var options: RecordOptions
        @Option(help: "Only in this status (open, answered, closed).") var status: String?

        func run() throws {
            var args: [String: JSONValue] = [:]
            if let status { args["status"] = .string(status) }
            try options.show(service: "petition", "inquiry.list", args) { listingTable($0, "inquiries") }
        }
    }

    struct Petitions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List petitions with their deadlines.")
        @OptionGroup var options: RecordOptions
        @Option(help: "Only in this status (received, acknowledged, in-progress, concluded).") var status: String?
        @Option(help: "Only this procuratorate's.") var procuratorate: String?

        func run() throws {
            var args: [String: JSONValue] = [:]
            if let status { args["status"] = .string(status) }
            if let procuratorate { args["procuratorate_id"] = .string(procuratorate) }
            try options.show(service: "petition", "petition.list", args) { listingTable($0, "petitions") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one petition with its replies and follow-ups.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The petition id.") var petitionID: String

        func run() throws {
            try options.show(service: "petition", "petition.get", ["petition_id": .string(petitionID)], view: recordWithLists)
        }
    }

    struct Aid: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List judicial-aid cases.")
        @OptionGroup var options: RecordOptions
        @Option(help: "Only in this status (review, approved, rejected, paid).") var status: String?
        @Option(help: "Only this target group.") var category: String?
        @Option(help: "Only this procuratorate's.") var procuratorate: String?

        func run() throws {
            var args: [String: JSONValue] = [:]
            if let status { args["status"] = .string(status) }
            if let category { args["category"] = .string(category) }
            if let procuratorate { args["procuratorate_id"] = .string(procuratorate) }
            try options.show(service: "petition", "aid.list", args) { listingTable($0, "aid_cases") }
        }
    }

    struct AidCase: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "aid-case", abstract: "Show one judicial-aid case with its referrals.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The aid id.") var aidID: String

        func run() throws {
            try options.show(service: "petition", "aid.get", ["aid_id": .string(aidID)], view: recordWithLists)
        }
    }

    struct BlankSpots: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blank-spots", abstract: "Which procuratorates granted no judicial aid in a year (空白点).")
        @OptionGroup var options: RecordOptions
        @Option(help: "The calendar year (default: this year).") var year: Int?

        func run() throws {
            var args: [String: JSONValue] = [:]
            if let year { args["year"] = .int(Int64(year)) }
            try options.show(service: "petition", "aid.blank-spots", args) { result in
                let blank = result["blank_spots"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let headline = blank.isEmpty
                    ? "No blank spots in \(cell(result["year"])): every procuratorate granted aid."
                    : "Blank spots in \(cell(result["year"])): \(blank.joined(separator: ", "))"
                return headline + "\n\n" + recordTable(result["procuratorates"]?.arrayValue, [
                    ("PROCURATORATE", "id"), ("NAME", "name"), ("LEVEL", "level"), ("GRANTED", "granted"), ("AMOUNT", "amount"),
                ])
            }
        }
    }
}
