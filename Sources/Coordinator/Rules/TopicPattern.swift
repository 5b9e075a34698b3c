/// Which event types a rule listens to: exactly one (`children.abuse.referred`), a prefix ending in a
/// dot (`children.`), or a glob with `*` (any run of characters) and `?` (one character).
public enum TopicPattern: Sendable, Equatable, CustomStringConvertible {
    case exact(String)
    case prefix(String)
    case glob(String)

    /// Reads a pattern; `nil` when it is empty or holds characters no topic has.
    public init?(_ text: String) {
        let allowed = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "*" || $0 == "?"
        }
        guard !text.isEmpty, allowed, !text.hasPrefix(".") else { return nil }
        if text.contains("*") || text.contains("?") {
            self = .glob(text)
        } else if text.hasSuffix(".") {
            self = .prefix(text)
        } else {
            self = .exact(text)
        }
    }

    /// The one service whose events the pattern can match, or `nil` when a wildcard leaves it open.
    public var service: String? {
        let text: String
        switch self {
        case .exact(let topic): text = topic
        case .prefix(let prefix): text = prefix
        case .glob(let pattern): text = pattern
        }
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let service = text[..<dot]
        return service.contains("*") || service.contains("?") ? nil : String(service)
    }

    public func matches(_ type: String) -> Bool {
        switch self {
        case .exact(let topic): type == topic
        case .prefix(let prefix): type.hasPrefix(prefix)
        case .glob(let pattern): Self.glob(Array(pattern.utf8)[...], Array(type.utf8)[...])
        }
    }

    /// Iterative wildcard matching with one backtrack point: linear in practice, no recursion.
    private static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        var star: (p: Int, t: Int)?
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
                star = (p, t)
                p += 1
            } else if let last = star {
                p = last.p + 1
                t = last.t + 1
                star = (last.p, last.t + 1)
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    public var description: String {
        switch self {
        case .exact(let text), .prefix(let text), .glob(let text): text
        }
    }
}
