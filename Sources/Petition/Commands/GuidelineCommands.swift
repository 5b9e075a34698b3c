import BanshiKit
import SQLite

/// The guideline knowledge base: import with history, search, read.
enum GuidelineCommands {
    static func all(_ settings: PetitionSettings) -> [CommandSpec] { [importDirectory(settings), search, get, history, list] }

    static func importDirectory(_ settings: PetitionSettings) -> CommandSpec {
        CommandSpec(
            "guidelines.import", "import every .md guideline of a directory; a changed one gets a new version, the old kept",
            arguments: [ArgumentSpec("directory", .string, "the directory on the service's host (default: guidelines_dir)")]
        ) { context, events in
            let directory = context.arguments.optionalString("directory") ?? settings.guidelinesDirectory
            let documents = try GuidelineLibrary.read(directory: directory)
            let outcome = try GuidelineLibrary.store(documents, events: &events, now: context.now)
            return [
                "directory": .string(directory), "added": .array(outcome.added.map { .string($0) }),
                "updated": .array(outcome.updated.map { .string($0) }), "unchanged": .array(outcome.unchanged.map { .string($0) }),
            ]
        }
    }

    static let search = CommandSpec(
        "guideline.search", "search the guidelines (Chinese substrings; 1- and 2-character terms too), ranked, with highlighted snippets",
        arguments: [
            ArgumentSpec("query", .string, required: true, "the search text; every term must occur"),
            ArgumentSpec("category", .string, choices: PetitionCategory.names, "only this category"),
            ArgumentSpec("limit", .integer, "at most this many, 1 to 100 (default 10)"),
        ]
    ) { context in
        let query = try context.arguments.text("query")
        guard query.count <= 200 else {
            throw CommandError(.invalidArgument, "a search of more than 200 characters is a question: use inquiry.submit", field: "query")
        }
        let limit = Int(try context.arguments.int("limit", default: 10, in: 1...100))
        let category = context.arguments.optionalString("category")
        let hits = try await context.read { db in try GuidelineSearch.search(db, query, category: category, limit: limit) }
        return ["query": .string(query), "hits": .array(hits.map(\.json))]
    }

    static let get = CommandSpec(
        "guideline.get", "a guideline's text: the current version, or the one asked for",
        arguments: [
            ArgumentSpec("guideline_id", .string, required: true, "the guideline"),
            ArgumentSpec("version", .integer, "a past version (default: current)"),
        ]
    ) { context in
        let id = try context.arguments.string("guideline_id")
        let version = context.arguments.values["version"]?.intValue
        return try await context.read { db in
            let current = try Int64.fetchOne(db, cached: "SELECT current_version FROM guideline WHERE id = ?", arguments: [id])
            guard let current else { throw CommandError(.notFound, "no guideline '\(id)'", field: "guideline_id") }
            let wanted = version ?? current
            let versions = try PetitionViews.guidelineVersion.all(db, where: "guideline_id = ? AND version = ?", [id, wanted], order: "version")
            guard case .object(var record)? = versions.arrayValue?.first else {
                throw CommandError(.notFound, "guideline '\(id)' has no version \(wanted)", field: "version")
            }
            record["current_version"] = .int(current)
            return .object(record)
        }
    }

    static let history = CommandSpec(
        "guideline.history", "every version of a guideline, newest first",
        arguments: [ArgumentSpec("guideline_id", .string, required: true, "the guideline")]
    ) { context in
        let id = try context.arguments.string("guideline_id")
        return try await context.read { db in
            try db.requireRecord("guideline", id: id, what: "guideline", field: "guideline_id")
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT version, title, category, source_file, imported_at, length(body) AS characters
                    FROM guideline_version WHERE guideline_id = ? ORDER BY version DESC
                    """,
                arguments: [id])
            return ["guideline_id": .string(id), "versions": .array(rows.map { $0.jsonObject() })]
        }
    }

    static let list = Listing(
        "guideline.list", "every guideline with its current version", member: "guidelines", view: PetitionViews.guideline,
        filters: [.init("category", choices: PetitionCategory.names, "only this category")], order: "category, id",
        limit: PageLimit(default: 1000, maximum: 1000)
    ).spec
}
