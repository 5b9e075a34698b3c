/// How a person's search text becomes an SQLite query over the trigram index.
///
/// The FTS5 trigram tokenizer matches substrings of three characters or more, which is what Chinese
/// needs (no word boundaries), but it matches nothing shorter. So the text is split on spaces and
/// punctuation into terms; a term of three or more characters becomes a quoted FTS5 phrase, and a
/// shorter one a plain substring test (`instr`) over the same columns.
public struct SearchTerms: Sendable, Equatable {
    /// Terms of 3+ characters, for `MATCH`.
    public let phrases: [String]
    /// Terms of 1–2 characters, for `instr`.
    public let short: [String]

    public init(_ text: String) {
        let terms = text.split(whereSeparator: { $0.isWhitespace || ($0.isPunctuation && $0 != "-") || $0.isSymbol }).map(String.init)
        var seen: Set<String> = []
        let unique = terms.filter { seen.insert($0).inserted }
        phrases = unique.filter { $0.count >= 3 }
        short = unique.filter { $0.count < 3 }
    }

    public var isEmpty: Bool { phrases.isEmpty && short.isEmpty }

    /// The FTS5 query: every phrase must match. Quotes inside a term are doubled, as FTS5 escapes them.
    public var matchQuery: String? {
        phrases.isEmpty ? nil : phrases.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: " AND ")
    }

    /// For free text (an inquiry's question): any of its distinct trigrams, so that documents sharing
    /// more of the question rank higher (bm25). At most `limit` trigrams, in order of appearance.
    public static func anyTrigram(of text: String, limit: Int = 64) -> String? {
        let grams = trigrams(of: text, limit: limit)
        return grams.isEmpty ? nil : grams.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }

    /// Question words: a trigram holding one says how a question is asked, not what it is about
    /// ("我受了工伤怎么办" must not suggest every guideline that says 怎么办).
    static let questionWords = ["怎么", "什么", "如何", "为何", "哪里", "哪些", "能否", "可以吗", "吗"]

    /// The distinct trigrams of `text`'s runs of letters that hold no question word, at most `limit`, in
    /// order of appearance.
    public static func trigrams(of text: String, limit: Int = 64) -> [String] {
        var grams: [String] = []
        var seen: Set<String> = []
        for run in text.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation || $0.isSymbol }) {
            let characters = Array(run)
            guard characters.count >= 3 else { continue }
            for start in 0...(characters.count - 3) where grams.count < limit {
                let gram = String(characters[start..<start + 3])
                if !questionWords.contains(where: gram.contains), seen.insert(gram).inserted { grams.append(gram) }
            }
        }
        return grams
    }
}
