/// A topic selector of `events tail`: a prefix (`children.`), or a pattern in which `*` stands for one
/// dot-separated segment (`*.*.overdue`, `children.*.registered`). A pattern selects the topics whose
/// first segments it matches, so `children.*` is every children topic.
struct TopicPattern: Equatable {
    let text: String

    /// What the SUB socket subscribes to: the part before the first `*` (the bus filters by prefix, the
    /// rest is matched here).
    var subscription: String { String(text.prefix { $0 != "*" }) }

    func matches(_ topic: String) -> Bool {
        guard text.contains("*") else { return topic.hasPrefix(text) }
        var wanted = text.split(separator: ".", omittingEmptySubsequences: false)
        if wanted.last == "" { wanted.removeLast() }
        let segments = topic.split(separator: ".", omittingEmptySubsequences: false)
        guard wanted.count <= segments.count else { return false }
        return zip(wanted, segments).allSatisfy { pattern, segment in pattern == "*" || pattern == segment }
    }

    /// Whether any of `patterns` (all topics when there are none) selects `topic`.
    static func any(_ patterns: [TopicPattern], match topic: String) -> Bool {
        patterns.isEmpty || patterns.contains { $0.matches(topic) }
    }
}
