import BanshiKit

/// One guideline file: Markdown with a front matter block of `key: value` lines.
///
/// ```
/// ---
/// id: judicial-aid
/// title: 国家司法救助申请指引
/// category: judicial-aid
/// keywords: 司法救助, 救助金
/// ---
/// # 国家司法救助申请指引 …
/// ```
/// `id`, `title` and `category` are required; `keywords` is a comma-separated list (full-width
/// commas too). Only these keys are allowed, so that a typo cannot pass unnoticed.
public struct GuidelineDocument: Sendable, Equatable {
    public let id: String
    public let title: String
    public let category: PetitionCategory
    public let keywords: [String]
    public let body: String

    /// Why a file was refused: the file, the line (1-based) and what is wrong.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public init(text: String, file: String) throws(Problem) {
        func problem(_ line: Int, _ message: String) -> Problem { Problem(file: file, line: line, message: message) }
        // "\r\n" is one Character in Swift, so normalise line ends before splitting.
        let lines = text.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        guard lines.first?.trimmingSpaces == "---" else {
            throw problem(1, "a guideline starts with a front matter block opened by '---'")
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingSpaces == "---" }) else {
            throw problem(1, "the front matter block is not closed by '---'")
        }
        var fields: [String: (value: String, line: Int)] = [:]
        for index in 1..<close {
            let line = lines[index]
            if line.trimmingSpaces.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw problem(index + 1, "expected 'key: value'") }
            let key = line[..<colon].trimmingSpaces
            guard ["id", "title", "category", "keywords"].contains(key) else {
                throw problem(index + 1, "unknown key '\(key)' (allowed: id, title, category, keywords)")
            }
            guard fields[key] == nil else { throw problem(index + 1, "'\(key)' is given twice") }
            fields[key] = (line[line.index(after: colon)...].trimmingSpaces, index + 1)
        }
        func required(_ key: String) throws(Problem) -> (value: String, line: Int) {
            guard let field = fields[key], !field.value.isEmpty else { throw problem(close + 1, "'\(key)' is required") }
            return field
        }
        let id = try required("id")
        guard Topic.isValidPart(id.value) else {
            throw problem(id.line, "id '\(id.value)' must be lower-case letters, digits and '-', starting with a letter")
        }
        let category = try required("category")
        guard let parsed = PetitionCategory(rawValue: category.value) else {
            throw problem(category.line, "category must be one of \(PetitionCategory.names.joined(separator: ", ")), not '\(category.value)'")
        }
        let body = lines[(close + 1)...].joined(separator: "\n").trimmingWhitespace
        guard !body.isEmpty else { throw problem(close + 1, "the guideline has no text after its front matter") }
        self.id = id.value
        self.title = try required("title").value
        self.category = parsed
        self.keywords = Self.keywordList(fields["keywords"]?.value ?? "")
        self.body = body
    }

    /// The terms of a keywords line, split on ASCII and full-width commas and 、 (as a file writes them,
    /// and as the library stores them, joined with ", ").
    static func keywordList(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" })
            .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }
}
