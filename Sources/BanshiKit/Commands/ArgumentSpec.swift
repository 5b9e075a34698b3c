/// One argument a command takes: what `help` lists and what the dispatcher checks before the command runs.
public struct ArgumentSpec: Sendable {
    /// The JSON shapes an argument can take.
    public enum Kind: String, Sendable {
        case string, integer, number, boolean, object, array
        /// An RFC 3339 time string.
        case time
        /// A calendar day, `YYYY-MM-DD`.
        case date
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    public let summary: String
    /// The only values a string argument may take, when it is a closed set.
    public let choices: [String]?

    public init(_ name: String, _ kind: Kind, required: Bool = false, choices: [String]? = nil, _ summary: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.choices = choices
        self.summary = summary
    }

    /// How `help` shows this argument.
    var helpValue: JSONValue {
        var value: [String: JSONValue] = [
            "name": .string(name), "type": .string(kind.rawValue), "required": .bool(required), "summary": .string(summary),
        ]
        if let choices { value["choices"] = .array(choices.map { .string($0) }) }
        return .object(value)
    }

    /// Times from 1900 to 2200: anything else is a typo, and keeping far from the calendar's limits
    /// lets deadline arithmetic on an argument never overflow.
    static func plausible(_ time: Timestamp) -> Bool {
        (-2_208_988_800.0...7_258_118_400.0).contains(time.timeIntervalSince1970)
    }

    /// Days from 1900 to 2200, for the same reasons as times.
    static func plausible(_ day: CalendarDate) -> Bool { (1900...2200).contains(day.year) }

    /// The first control character in any text of `value` (at any depth), with where it stands: NUL cuts
    /// a C string short, and none of them belongs in a name, a path or an id. Newlines and tabs are free
    /// text's own.
    static func controlCharacter(in value: JSONValue, at path: String) -> (path: String, scalar: Unicode.Scalar)? {
        switch value {
        case .string(let text):
            // Each of them is one byte in UTF-8, and no byte of a longer character is below 0x80.
            return text.utf8.first { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D) || $0 == 0x7F }.map { (path, Unicode.Scalar($0)) }
        case .array(let items):
            for (index, item) in items.enumerated() { if let found = controlCharacter(in: item, at: "\(path)[\(index)]") { return found } }
            return nil
        case .object(let members):
            for key in members.keys.sorted() { if let found = controlCharacter(in: members[key]!, at: "\(path).\(key)") { return found } }
            return nil
        default:
            return nil
        }
    }

    /// Checks `value` against this argument's kind.
    func check(_ value: JSONValue) throws(CommandError) {
        if let (path, scalar) = Self.controlCharacter(in: value, at: name) {
            throw CommandError(
                .invalidArgument,
                "\(path) holds a control character (U+\(DecimalText.hex(scalar.value, width: 4))); text may hold line breaks and tabs, nothing else below U+0020",
                field: name)
        }
        let fits: Bool
        switch kind {
        case .string: fits = value.stringValue != nil
        case .integer: fits = value.intValue != nil
        case .number: fits = value.doubleValue != nil
        case .boolean: fits = value.boolValue != nil
        case .object: fits = value.objectValue != nil
        case .array: fits = value.arrayValue != nil
        case .time: fits = value.stringValue.flatMap(Timestamp.parse).map(Self.plausible) ?? false
        case .date: fits = value.stringValue.flatMap(CalendarDate.init).map(Self.plausible) ?? false
        }
        guard fits else {
            let expected =
                switch kind {
                case .time: "an RFC 3339 time from 1900 to 2200"
                case .date: "a date YYYY-MM-DD from 1900-01-01 to 2200-12-31"
                default: "of type \(kind.rawValue)"
                }
            let shown = value.stringValue.map { "'\($0)'" } ?? value.typeName
            throw CommandError(.invalidArgument, "argument '\(name)' must be \(expected), not \(shown)", field: name)
        }
        if let choices, let text = value.stringValue, !choices.contains(text) {
            throw CommandError(
                .invalidArgument, "argument '\(name)' must be one of \(choices.joined(separator: ", ")), not '\(text)'",
                field: name)
        }
    }
}

/// A command's arguments after they were checked against its `ArgumentSpec`s.
///
/// The typed getters still throw `invalid_argument` naming the field, so that range checks read the
/// same way as type checks.
public struct Arguments: Sendable {
    public let values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) { self.values = values }

    public func string(_ name: String) throws(CommandError) -> String {
        guard let value = values[name]?.stringValue else { throw missing(name) }
        return value
    }

    public func optionalString(_ name: String) -> String? { values[name]?.stringValue }

    /// A string argument that is present and not blank, trimmed.
    public func text(_ name: String) throws(CommandError) -> String {
        let value = try string(name).trimmingWhitespace
        guard !value.isEmpty else { throw CommandError(.invalidArgument, "argument '\(name)' must not be blank", field: name) }
        return value
    }

    public func int(_ name: String) throws(CommandError) -> Int64 {
        guard let value = values[name]?.intValue else { throw missing(name) }
        return value
    }

    /// An integer within `range`, or `defaultValue` when absent.
    public func int(_ name: String, default defaultValue: Int64, in range: ClosedRange<Int64>) throws(CommandError) -> Int64 {
        guard let value = values[name] else { return defaultValue }
        guard let number = value.intValue else { throw missing(name) }
        guard range.contains(number) else {
            throw CommandError(
                .invalidArgument, "argument '\(name)' must be between \(range.lowerBound) and \(range.upperBound), not \(number)",
                field: name)
        }
        return number
    }

    public func bool(_ name: String, default defaultValue: Bool) -> Bool { values[name]?.boolValue ?? defaultValue }

    public func time(_ name: String) throws(CommandError) -> Timestamp {
        guard let text = values[name]?.stringValue, let date = Timestamp.parse(text) else { throw missing(name) }
        return date
    }

    public func optionalTime(_ name: String) -> Timestamp? { values[name]?.stringValue.flatMap(Timestamp.parse) }

    public func date(_ name: String) throws(CommandError) -> CalendarDate {
        guard let date = optionalDate(name) else { throw missing(name) }
        return date
    }

    public func optionalDate(_ name: String) -> CalendarDate? { values[name]?.stringValue.flatMap(CalendarDate.init) }

    /// A string argument that must be one of `Choice`'s raw values (the spec lists them as `choices`).
    public func choice<Choice: RawRepresentable<String>>(_ name: String, as type: Choice.Type = Choice.self) throws(CommandError) -> Choice {
        guard let choice = Choice(rawValue: try string(name)) else { throw missing(name) }
        return choice
    }

    public func optionalDouble(_ name: String) -> Double? { values[name]?.doubleValue }

    private func missing(_ name: String) -> CommandError {
        CommandError(.invalidArgument, "argument '\(name)' is missing or of the wrong type", field: name)
    }
}

/// The `limit` argument of a listing command: its range and default stated once, for `help` and for
/// the check.
public struct PageLimit: Sendable {
    public let defaultValue: Int64
    public let maximum: Int64

    public init(default defaultValue: Int64, maximum: Int64) {
        self.defaultValue = defaultValue
        self.maximum = maximum
    }

    /// Listings of records: 100 by default, 1,000 at most.
    public static let records = PageLimit(default: 100, maximum: 1000)
    /// Listings of events and log entries: 100 by default, 10,000 at most.
    public static let entries = PageLimit(default: 100, maximum: 10_000)

    public var argument: ArgumentSpec {
        ArgumentSpec("limit", .integer, "at most this many, 1 to \(maximum) (default \(defaultValue))")
    }

    /// The limit a request asked for, checked against the range.
    public func value(_ arguments: Arguments) throws(CommandError) -> Int64 {
        try arguments.int("limit", default: defaultValue, in: 1...maximum)
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space, as Foundation's `.whitespacesAndNewlines`
    /// trims it (Unicode's White_Space, the ideographic space U+3000 included, and the zero-width
    /// space U+200B). Every text argument passes here; Foundation's trim was a fiftieth of a
    /// command's time.
    public var trimmingWhitespace: String { trimming(\.isTrimmedSpace) }

    /// The text without leading and trailing spaces and tabs, as Foundation's `.whitespaces` trims
    /// it (Unicode's space separators and U+0009); line breaks stay.
    public var trimmingSpaces: String { trimming(\.isSpaceOrTab) }

    private func trimming(_ trimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        guard trimmed(first) || trimmed(last) else { return String(self) }
        guard let start = scalars.firstIndex(where: { !trimmed($0) }), let end = scalars.lastIndex(where: { !trimmed($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}

extension Unicode.Scalar {
    fileprivate var isTrimmedSpace: Bool { properties.isWhitespace || value == 0x200B }
    fileprivate var isSpaceOrTab: Bool { value == 0x09 || properties.generalCategory == .spaceSeparator }
}
