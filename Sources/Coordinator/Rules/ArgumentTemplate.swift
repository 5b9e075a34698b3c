import BanshiKit

/// How a rule builds one argument of its command from the event.
///
/// A string that is exactly `{path}` takes the field's value with its JSON type; `{path?}` does the
/// same but leaves the argument out when the field is absent. A string with placeholders among other
/// text (`"case/{data.case_id}"`) interpolates the fields as text. Anything else is a literal.
public enum ArgumentTemplate: Sendable, Equatable {
    case literal(JSONValue)
    case field(EventPath, optional: Bool)
    case text([Piece])

    public enum Piece: Sendable, Equatable {
        case literal(String)
        case field(EventPath)
    }

    /// Why an argument could not be built: a field the event lacks.
    public struct Missing: Error, Sendable {
        public let path: String
    }

    /// Parses a configured value; the error message says what is wrong with a placeholder.
    public init(_ value: JSONValue) throws(RuleProblem) {
        guard case .string(let text) = value, text.contains("{") else {
            self = .literal(value)
            return
        }
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw RuleProblem("'\(text)' opens '{' without closing it")
            }
            var name = String(rest[rest.index(after: open)..<close])
            let optional = name.hasSuffix("?")
            if optional { name.removeLast() }
            guard let path = EventPath(name) else {
                throw RuleProblem("'{\(name)}' names no event field (data.<field>, or id, type, source, subject, time, seq, correlationid)")
            }
            if optional {
                guard pieces.isEmpty, rest[rest.index(after: close)...].isEmpty, open == rest.startIndex else {
                    throw RuleProblem("'{\(name)?}' (optional) must be the whole value")
                }
                self = .field(path, optional: true)
                return
            }
            pieces.append(.field(path))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        if pieces.count == 1, case .field(let path) = pieces[0] {
            self = .field(path, optional: false)
        } else {
            self = .text(pieces)
        }
    }

    /// The argument for `event`; `nil` to leave it out.
    public func render(_ event: EventEnvelope) throws(Missing) -> JSONValue? {
        switch self {
        case .literal(let value): return value
        case .field(let path, let optional):
            guard let value = path.value(in: event) else {
                if optional { return nil }
                throw Missing(path: path.text)
            }
            return value
        case .text(let pieces):
            var text = ""
            for piece in pieces {
                switch piece {
                case .literal(let literal): text += literal
                case .field(let path):
                    guard let value = path.value(in: event) else { throw Missing(path: path.text) }
                    text += value.stringValue ?? value.serialized()
                }
            }
            return .string(text)
        }
    }
}
