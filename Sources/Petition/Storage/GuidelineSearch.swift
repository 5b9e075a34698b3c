import BanshiKit
import SQLite

/// Ranked, highlighted search over the current version of every guideline.
///
/// Terms of three characters or more go through the FTS5 trigram index; shorter terms are substring
/// tests on the same columns. Every hit, however found, is scored on one scale (`points`): 8 for each
/// term in the title, 4 in the keywords, 1 for each occurrence in the body. The snippet is plain text
/// (the Markdown's heading marks and the title line left out) about the first match, with every match
/// wrapped in `<mark>`…`</mark>`.
public enum GuidelineSearch {
    /// One guideline found.
    public struct Hit: Sendable, Equatable {
        public let guidelineID: String
        public let title: String
        public let category: String
        public let version: Int64
        public let snippet: String
        /// `points`: higher is better, on the same scale in every search.
        public let score: Double

        /// A hit from a row of `guideline_search` joined with `guideline`.
        init(_ row: Row, snippet: String, score: Double) {
            self.init(
                guidelineID: row["guideline_id"], title: row["title"], category: row["category"], version: row["current_version"],
                snippet: snippet, score: score)
        }

        init(guidelineID: String, title: String, category: String, version: Int64, snippet: String, score: Double) {
            self.guidelineID = guidelineID
            self.title = title
            self.category = category
            self.version = version
            self.snippet = snippet
            self.score = score
        }

        var json: JSONValue {
            [
                "guideline_id": .string(guidelineID), "title": .string(title), "category": .string(category),
                "version": .int(version), "snippet": .string(snippet), "score": .double((score * 1000).rounded() / 1000),
            ]
        }
    }

    static let open = "<mark>"
    static let close = "</mark>"

    /// The guidelines matching every term of `text`, best first.
    public static func search(_ db: Database, _ text: String, category: String? = nil, limit: Int = 10) throws -> [Hit] {
        let terms = SearchTerms(text)
        guard !terms.isEmpty else { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        for term in terms.short {
            conditions.append("(instr(s.title, ?) > 0 OR instr(s.keywords, ?) > 0 OR instr(s.body, ?) > 0)")
            arguments += [term, term, term]
        }
        if let category {
            conditions.append("g.category = ?")
            arguments += [category]
        }
        let rows: [Row]
        if let match = terms.matchQuery {
            // Scored on the one scale below, so more than `limit` are read from the index.
            rows = try ranked(db, match: match, conditions: conditions, arguments: arguments, limit: max(limit * 4, 50))
        } else {
            rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT s.guideline_id, g.title, g.category, g.current_version, s.title AS t, s.keywords AS k, s.body
                    FROM guideline_search s JOIN guideline g ON g.id = s.guideline_id
                    WHERE \(conditions.joined(separator: " AND "))
                    """,
                arguments: arguments)
        }
        let all = terms.short + terms.phrases
        let hits = rows.map { row in
            Hit(row, snippet: excerpt(row["body"], title: row["title"], around: all), score: points(all, row))
        }
        return best(hits, limit: limit)
    }

    /// `hits` best first (ties by id), at most `limit`.
    private static func best(_ hits: [Hit], limit: Int) -> [Hit] {
        Array(hits.sorted { ($0.score, $1.guidelineID) > ($1.score, $0.guidelineID) }.prefix(limit))
    }

    /// Guidelines for a free-text question, best first. A question is a sentence, not a query: "儿子不给赡养"
    /// holds the two-character term 赡养 that no trigram reaches. So the knowledge base's own terms (each
    /// guideline's keywords, of any length) are looked for inside the question first, longer terms
    /// weighing more; then the guidelines sharing the most of the question's trigrams (bm25) fill the rest.
    /// A guideline found by a keyword shows that keyword marked, in its body when it occurs there.
    public static func suggest(_ db: Database, question: String, limit: Int = 3) throws -> [Hit] {
        var byTerms: [Hit] = []
        for row in try Row.fetchAll(
            db,
            cached: """
                SELECT s.guideline_id, g.title, g.category, g.current_version, s.title AS t, s.keywords AS k, s.body
                FROM guideline_search s JOIN guideline g ON g.id = s.guideline_id ORDER BY g.id
                """)
        {
            let terms = GuidelineDocument.keywordList(row["k"]).filter { question.contains($0) }
            guard !terms.isEmpty else { continue }
            let body: String = row["body"]
            let snippet = terms.contains { body.contains($0) }
                ? excerpt(body, title: row["title"], around: terms) : "关键词 keywords: " + highlight(terms.joined(separator: ", "), terms)
            byTerms.append(Hit(row, snippet: snippet, score: points(terms, row)))
        }
        var hits = best(byTerms, limit: limit)
        guard hits.count < limit else { return hits }
        let more: [Hit]
        if let match = SearchTerms.anyTrigram(of: question) {
            let trigrams = SearchTerms.trigrams(of: question)
            more = best(
                try ranked(db, match: match, limit: limit + hits.count).map { row in
                    let found = trigrams.filter { (row["t"] as String).contains($0) || (row["k"] as String).contains($0) || (row["body"] as String).contains($0) }
                    return Hit(row, snippet: excerpt(row["body"], title: row["title"], around: found), score: points(found, row))
                }, limit: limit + hits.count)
        } else {
            more = try search(db, question, limit: limit + hits.count)
        }
        for hit in more where hits.count < limit && !hits.contains(where: { $0.guidelineID == hit.guidelineID }) { hits.append(hit) }
        return hits
    }

    /// The guidelines an FTS5 `match` query finds (and `conditions` keep), by bm25 with a hit in the title
    /// weighing 8, in the keywords 4, in the body 1; each row has the indexed `t`itle, `k`eywords and `body`.
    private static func ranked(
        _ db: Database, match: String, conditions: [String] = [], arguments: StatementArguments = [], limit: Int
    ) throws -> [Row] {
        try Row.fetchAll(
            db,
            cached: """
                SELECT s.guideline_id, g.title, g.category, g.current_version, s.title AS t, s.keywords AS k, s.body
                FROM guideline_search s JOIN guideline g ON g.id = s.guideline_id
                WHERE guideline_search MATCH ? \(conditions.map { "AND " + $0 }.joined(separator: " "))
                ORDER BY bm25(guideline_search, 0.0, 8.0, 4.0, 1.0), g.id LIMIT ?
                """,
            arguments: [match] + arguments + [limit])
    }

    /// The one scale of every search: each term found in the title counts 8, in the keywords 4, and
    /// each of its occurrences in the body 1.
    static func points(_ terms: [String], _ row: Row) -> Double {
        points(terms, title: row["t"], keywords: row["k"], body: row["body"])
    }

    static func points(_ terms: [String], title: String, keywords: String, body: String) -> Double {
        terms.reduce(0) { score, term in
            score + (title.contains(term) ? 8 : 0) + (keywords.contains(term) ? 4 : 0) + Double(body.ranges(of: term).count)
        }
    }

    /// Marks every occurrence of `terms` (longer terms first, so that a short one inside them is not
    /// marked twice).
    static func highlight(_ text: String, _ terms: [String]) -> String {
        var marked = text
        for term in Set(terms).sorted(by: { $0.count > $1.count }) where !term.isEmpty {
            var result = ""
            var rest = marked[...]
            // Outside existing marks only.
            while let range = rest.firstRange(of: term) {
                let before = rest[..<range.lowerBound]
                let insideMark = before.ranges(of: open).count > before.ranges(of: close).count
                result += before + (insideMark ? term : open + term + close)
                rest = rest[range.upperBound...]
            }
            marked = result + rest
        }
        return marked
    }

    /// The body as plain text on one line: Markdown heading marks, list bullets and emphasis left out,
    /// and the first heading dropped when it is the title (the listing shows the title already).
    static func plain(_ body: String, title: String) -> String {
        var lines: [String] = []
        for line in body.split(separator: "\n") {
            var text = line.trimmingSpaces
            let heading = text.prefix { $0 == "#" }.count
            if heading > 0 {
                text = String(text.dropFirst(heading)).trimmingSpaces
                if heading == 1, lines.isEmpty, text == title { continue }
            } else if text.hasPrefix("- ") || text.hasPrefix("* ") {
                text = String(text.dropFirst(2))
            }
            text = text.replacing("**", with: "")
            if !text.isEmpty { lines.append(text) }
        }
        return lines.joined(separator: " ")
    }

    /// About 24 characters either side of the first occurrence of any term in the plain body, with every
    /// term marked; the body's first 48 characters when none occurs there (a match in the keywords).
    static func excerpt(_ body: String, title: String, around terms: [String]) -> String {
        let flat = plain(body, title: title)
        guard let first = terms.compactMap({ flat.firstRange(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) else {
            return String(flat.prefix(48))
        }
        let start = flat.index(first.lowerBound, offsetBy: -24, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(first.upperBound, offsetBy: 24, limitedBy: flat.endIndex) ?? flat.endIndex
        let text = (start > flat.startIndex ? "…" : "") + flat[start..<end] + (end < flat.endIndex ? "…" : "")
        return highlight(String(text), terms)
    }
}
