import BanshiKit
import SQLite

/// Imports guideline files into the versioned knowledge base.
///
/// The whole directory is read and checked before anything is written, and the import runs in the
/// command's one transaction: a bad file fails the import with its name and line, and leaves the
/// knowledge base as it was. A changed guideline gets a new version; the old ones stay as history.
enum GuidelineLibrary {
    struct Outcome {
        var added: [String] = []
        var updated: [String] = []
        var unchanged: [String] = []
    }

    /// Every `*.md` file of `directory`, parsed, in file-name order.
    static func read(directory: String) throws(CommandError) -> [(file: String, document: GuidelineDocument)] {
        let names: [String]
        do {
            names = try FileSystem.contentsOfDirectory(directory).filter { $0.hasSuffix(".md") }.sorted()
        } catch {
            throw CommandError(.invalidArgument, "cannot read the guideline directory '\(directory)'", field: "directory")
        }
        guard !names.isEmpty else {
            throw CommandError(.invalidArgument, "the guideline directory '\(directory)' holds no .md files", field: "directory")
        }
        var documents: [(String, GuidelineDocument)] = []
        var seen: [String: String] = [:]
        // Every wrong file is named at once, so that one round of edits can mend them all.
        var problems: [(file: String, line: Int?, message: String)] = []
        for name in names {
            let path = Path.join(directory, name)
            guard let text = (try? FileSystem.readText(path)) ?? nil else {
                problems.append((path, nil, "\(path): cannot be read as UTF-8"))
                continue
            }
            do {
                let document = try GuidelineDocument(text: text, file: path)
                if let other = seen[document.id] {
                    problems.append((path, nil, "\(path): id '\(document.id)' is also the id of \(other)"))
                    continue
                }
                seen[document.id] = path
                documents.append((path, document))
            } catch {
                // The parser throws only its typed `Problem`.
                problems.append((error.file, error.line, error.description))
            }
        }
        if let first = problems.first {
            var details: [String: JSONValue] = ["file": .string(first.file)]
            if let line = first.line { details["line"] = .int(Int64(line)) }
            guard problems.count > 1 else { throw CommandError(.invalidArgument, first.message, details: details) }
            details["problems"] = .array(problems.map { .string($0.message) })
            throw CommandError(
                .invalidArgument, "\(problems.count) guideline files are wrong: " + problems.map(\.message).joined(separator: "; "), details: details)
        }
        return documents
    }

    /// Stores each document as a new guideline or a new version, and emits `petition.guideline.published`.
    static func store(_ documents: [(file: String, document: GuidelineDocument)], events: inout EventAppender, now: Timestamp) throws -> Outcome {
        let db = events.db
        var outcome = Outcome()
        let at = Timestamp.format(now)
        for (file, document) in documents {
            let keywords = document.keywords.joined(separator: ", ")
            let current = try Row.fetchOne(
                db,
                cached: """
                    SELECT v.version, v.title, v.category, v.keywords, v.body FROM guideline g
                    JOIN guideline_version v ON v.guideline_id = g.id AND v.version = g.current_version WHERE g.id = ?
                    """,
                arguments: [document.id])
            let version: Int64
            if let current {
                if current["title"] == document.title, current["category"] == document.category.rawValue,
                    current["keywords"] == keywords, current["body"] == document.body
                {
                    outcome.unchanged.append(document.id)
                    continue
                }
                version = (current["version"] as Int64) + 1
                try db.execute(
                    cached: "UPDATE guideline SET category = ?, title = ?, current_version = ?, updated_at = ? WHERE id = ?",
                    arguments: [document.category.rawValue, document.title, version, at, document.id])
                try db.execute(cached: "DELETE FROM guideline_search WHERE guideline_id = ?", arguments: [document.id])
                outcome.updated.append(document.id)
            } else {
                version = 1
                try db.execute(
                    cached: "INSERT INTO guideline (id, category, title, current_version, updated_at) VALUES (?, ?, ?, 1, ?)",
                    arguments: [document.id, document.category.rawValue, document.title, at])
                outcome.added.append(document.id)
            }
            try db.execute(
                cached: """
                    INSERT INTO guideline_version (guideline_id, version, title, category, keywords, body, source_file, imported_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [document.id, version, document.title, document.category.rawValue, keywords, document.body, file, at])
            try db.execute(
                cached: "INSERT INTO guideline_search (guideline_id, title, keywords, body) VALUES (?, ?, ?, ?)",
                arguments: [document.id, document.title, keywords, document.body])
            try events.emit(
                "petition.guideline.published", subject: "guideline/\(document.id)",
                data: ["guideline_id": .string(document.id), "version": .int(version), "category": .string(document.category.rawValue)])
        }
        return outcome
    }
}
