import BanshiKit
import Foundation
import GRDB

/// Ranked, highlighted search over the current version of every guideline.
///
/// Terms of three characters or more go through the FTS5 trigram index and are ranked by bm25 (a hit
/// in the title weighs 8, in the keywords 4, in the body 1); shorter terms are substring tests on the
/// same columns. A query of short terms only is ranked by where and how often they occur. Matches are
/// wrapped in `<mark>`…`</mark>` in the snippet.
public enum GuidelineSearch {
    /// One guideline found.
    public struct Hit: Sendable, Equatable {
        public let guidelineID: String
        public let title: String
        public let category: String
        public let version: Int64
        public let snippet: String
        /// Higher is better; comparable within one search only.
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
            rows = try ranked(db, match: match, conditions: conditions, arguments: arguments, limit: limit)
        } else {
            rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.guideline_id, g.title, g.category, g.current_version, s.title AS t, s.keywords AS k, s.body
                    FROM guideline_search s JOIN guideline g ON g.id = s.guideline_id
                    WHERE \(conditions.joined(separator: " AND "))
                    """,
                arguments: arguments)
        }
        let hits = rows.map { row -> Hit in
            let body: String = row["body"]
            let snippet: String = row["snippet"] ?? ""
            let score: Double = row["score"] ?? shortTermScore(terms.short, title: row["t"], keywords: row["k"], body: body)
            return Hit(
                row, snippet: snippet.contains(open) ? highlight(snippet, terms.short) : excerpt(body, around: terms.short + terms.phrases),
                score: score)
        }
        guard terms.matchQuery == nil else { return hits }
        return Array(hits.sorted { ($0.score, $1.guidelineID) > ($1.score, $0.guidelineID) }.prefix(limit))
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
            sql: """
                SELECT s.guideline_id, g.title, g.category, g.current_version, s.keywords, s.body
                FROM guideline_search s JOIN guideline g ON g.id = s.guideline_id ORDER BY g.id
                """)
        {
            let terms = GuidelineDocument.keywordList(row["keywords"]).filter { question.contains($0) }
            guard !terms.isEmpty else { continue }
            let body: String = row["body"]
            let snippet = terms.contains { body.contains($0) } ? excerpt(body, around: terms) : "关键词 keywords: " + highlight(terms.joined(separator: ", "), terms)
            byTerms.append(Hit(row, snippet: snippet, score: terms.reduce(0.0) { $0 + 4 + Double($1.count) }))
        }
        var hits = byTerms.sorted { ($0.score, $1.guidelineID) > ($1.score, $0.guidelineID) }
        guard hits.count < limit else { return Array(hits.prefix(limit)) }
        let more: [Hit]
        if let match = SearchTerms.anyTrigram(of: question) {
            more = try ranked(db, match: match, limit: limit + hits.count).map { row in Hit(row, snippet: row["snippet"], score: row["score"]) }
        } else {
            more = try search(db, question, limit: limit + hits.count)
        }
        for hit in more where hits.count < limit && !hits.contains(where: { $0.guidelineID == hit.guidelineID }) { hits.append(hit) }
        return hits
    }

    /// The guidelines an FTS5 `match` query finds (and `conditions` keep), ranked by bm25 with a hit in
    /// the title weighing 8, in the keywords 4, in the body 1; each row has `score`, `snippet` and `body`.
    private static func ranked(
        _ db: Database, match: String, conditions: [String] = [], arguments: StatementArguments = [], limit: Int
    ) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT s.guideline_id, g.title, g.category, g.current_version,
                       -bm25(guideline_search, 0.0, 8.0, 4.0, 1.0) AS score,
                       snippet(guideline_search, 3, '\(open)', '\(close)', '…', 24) AS snippet, s.body
                FROM guideline_search s JOIN guideline g ON g.id = s.guideline_id
                WHERE guideline_search MATCH ? \(conditions.map { "AND " + $0 }.joined(separator: " "))
                ORDER BY bm25(guideline_search, 0.0, 8.0, 4.0, 1.0), g.id LIMIT ?
                """,
            arguments: [match] + arguments + [limit])
    }

    /// Title hits count 8, keyword hits 4, each body occurrence 1.
    static func shortTermScore(_ terms: [String], title: String, keywords: String, body: String) -> Double {
        terms.reduce(0) { score, term in
            score + (title.contains(term) ? 8 : 0) + (keywords.contains(term) ? 4 : 0) + Double(body.components(separatedBy: term).count - 1)
        }
    }

    /// Marks the short terms in an FTS snippet too (the index cannot mark what it did not match).
    static func highlight(_ text: String, _ terms: [String]) -> String {
        terms.reduce(text) { text, term in text.replacingOccurrences(of: term, with: open + term + close) }
    }

    /// About 24 characters either side of the first occurrence of any term, with every term marked.
    static func excerpt(_ body: String, around terms: [String]) -> String {
        let flat = body.replacingOccurrences(of: "\n", with: " ")
        guard let first = terms.compactMap({ flat.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) else {
            return String(flat.prefix(48))
        }
        let start = flat.index(first.lowerBound, offsetBy: -24, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(first.upperBound, offsetBy: 24, limitedBy: flat.endIndex) ?? flat.endIndex
        let text = (start > flat.startIndex ? "…" : "") + flat[start..<end] + (end < flat.endIndex ? "…" : "")
        return highlight(String(text), terms)
    }
}
