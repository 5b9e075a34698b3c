/// A TOML 1.0 parser for Banshi's configuration files, into `ConfigTable.Value`s.
///
/// Written here rather than taken from a package: the TOML package Banshi used imports Foundation
/// (for `Data`), and one import of Foundation anywhere in a process maps all of it (docs/architecture.md).
/// Everything TOML 1.0 has is read: tables, arrays of tables, dotted and quoted keys, the four kinds
/// of string, integers in four bases, floats, booleans, arrays and inline tables. Dates and times are
/// kept as their text, as Banshi reads them itself. A syntax error says where it is.
struct TOMLParser {
    /// What went wrong and where (from 1).
    struct SyntaxError: Error {
        let message: String
        let line: Int
        let column: Int

        var description: String { "\(message) at line \(line), column \(column)" }
    }

    private let bytes: [UInt8]
    private var position = 0
    private let root = Table()
    /// The table that `key = value` lines go into: the root, or the last `[header]`.
    private var current: Table

    static func parse(_ text: String) throws(SyntaxError) -> [String: ConfigTable.Value] {
        var parser = TOMLParser(bytes: Array(text.utf8))
        try parser.document()
        return parser.root.value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        current = root
    }

    // MARK: Document structure

    private mutating func document() throws(SyntaxError) {
        while true {
            skipSpaces()
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
            case UInt8(ascii: "["): try header()
            default: try keyValue(into: current)
            }
            try endOfLine()
        }
    }

    /// `[a.b]` or `[[a.b]]`.
    private mutating func header() throws(SyntaxError) {
        position += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipSpaces()
        let keys = try dottedKey()
        skipSpaces()
        try expect("]", "a table header ends with ']'")
        if isArray { try expect("]", "an array-of-tables header ends with ']]'") }
        var table = root
        for key in keys.dropLast() { table = try table.descend(key, at: self) }
        let last = keys[keys.count - 1]
        if isArray {
            current = try table.appendArrayTable(last, at: self)
        } else {
            current = try table.defineTable(last, at: self)
        }
    }

    /// `key = value`, the key possibly dotted, into `table`.
    private mutating func keyValue(into table: Table) throws(SyntaxError) {
        let keys = try dottedKey()
        skipSpaces()
        try expect("=", "expected '=' after the key")
        skipSpaces()
        let value = try self.value()
        var target = table
        for key in keys.dropLast() { target = try target.descendDotted(key, at: self) }
        try target.set(keys[keys.count - 1], value, at: self)
    }

    /// After a line's content: spaces, an optional comment, then a line break or the end.
    private mutating func endOfLine() throws(SyntaxError) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") { skipComment() }
        guard let byte = peek() else { return }
        if byte == UInt8(ascii: "\n") {
            position += 1
        } else if byte == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") {
            position += 2
        } else {
            throw error("expected the end of the line")
        }
    }

    // MARK: Keys

    private mutating func dottedKey() throws(SyntaxError) -> [String] {
        var keys = [try simpleKey()]
        while true {
            let saved = position
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else {
                position = saved
                return keys
            }
            position += 1
            skipSpaces()
            keys.append(try simpleKey())
        }
    }

    private mutating func simpleKey() throws(SyntaxError) -> String {
        switch peek() {
        case UInt8(ascii: "\""): return try basicString()
        case UInt8(ascii: "'"): return try literalString()
        default:
            let start = position
            while let byte = peek(), Self.isBareKey(byte) { position += 1 }
            guard position > start else { throw error("expected a key") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }

    private static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    // MARK: Values

    private mutating func value() throws(SyntaxError) -> ConfigTable.Value {
        guard let byte = peek() else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(starts(with: "\"\"\"") ? try multilineBasicString() : try basicString())
        case UInt8(ascii: "'"):
            return .string(starts(with: "'''") ? try multilineLiteralString() : try literalString())
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): return try inlineTable()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if starts(with: "true") {
                position += 4
                return .bool(true)
            }
            if starts(with: "false") {
                position += 5
                return .bool(false)
            }
            throw error("expected a value")
        default: return try numberOrDate()
        }
    }

    private mutating func array() throws(SyntaxError) -> ConfigTable.Value {
        position += 1
        var items: [ConfigTable.Value] = []
        while true {
            try skipBlank()
            if peek() == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            items.append(try value())
            try skipBlank()
            if peek() == UInt8(ascii: ",") {
                position += 1
            } else if peek() != UInt8(ascii: "]") {
                throw error("expected ',' or ']' in the array")
            }
        }
    }

    private mutating func inlineTable() throws(SyntaxError) -> ConfigTable.Value {
        position += 1
        let table = Table()
        skipSpaces()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .table(table.value)
        }
        while true {
            skipSpaces()
            try keyValue(into: table)
            skipSpaces()
            if peek() == UInt8(ascii: "}") {
                position += 1
                return .table(table.value)
            }
            try expect(",", "expected ',' or '}' in the inline table (it stays on one line)")
        }
    }

    /// An integer, a float, or a date or time (kept as text).
    private mutating func numberOrDate() throws(SyntaxError) -> ConfigTable.Value {
        let start = position
        while let byte = peek(), Self.isValueCharacter(byte) || (byte == UInt8(ascii: " ") && isDateTimeSpace(from: start)) {
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard !text.isEmpty else { throw error("expected a value") }
        if let value = Self.number(text) { return value }
        if Self.isDateOrTime(text) { return .string(text) }
        position = start
        throw error("'\(text)' is not a valid value")
    }

    private static func isValueCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"):
            true
        default: false
        }
    }

    /// A space between a date and a time (`1979-05-27 07:32:00`) belongs to the value.
    private func isDateTimeSpace(from start: Int) -> Bool {
        position - start == 10 && bytes[start + 4] == UInt8(ascii: "-") && peek(1).map { $0 >= 0x30 && $0 <= 0x39 } == true
    }

    private static func number(_ text: String) -> ConfigTable.Value? {
        var body = Substring(text)
        var sign = ""
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        switch body {
        case "inf": return .double(sign == "-" ? -.infinity : .infinity)
        case "nan": return .double(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where body.hasPrefix(prefix) {
            guard sign.isEmpty, text.first != "+", let digits = underscoresRemoved(body.dropFirst(2)) else { return nil }
            return Int(digits, radix: radix).map { .int($0) }
        }
        guard let digits = underscoresRemoved(body), let first = digits.first, first.isASCII, first.isNumber else { return nil }
        // No leading zeros in decimal numbers ("01"), as the specification says.
        if digits.count > 1, first == "0", digits.dropFirst().first?.isNumber == true { return nil }
        if digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int(sign + digits).map { .int($0) } }
        let isFloat = digits.allSatisfy { ($0.isASCII && $0.isNumber) || "eE.+-".contains($0) }
        guard isFloat, !digits.hasSuffix("."), !digits.contains(".e"), !digits.contains(".E") else { return nil }
        return Double(sign + digits).map { .double($0) }
    }

    /// `1_000` as `1000`; `nil` where an underscore is not between two digits.
    private static func underscoresRemoved(_ text: Substring) -> String? {
        let characters = Array(text)
        for (index, character) in characters.enumerated() where character == "_" {
            guard index > 0, index < characters.count - 1, characters[index - 1].isHexDigit, characters[index + 1].isHexDigit else { return nil }
        }
        return String(characters.filter { $0 != "_" })
    }

    private static func isDateOrTime(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        let isDate = characters.count >= 10 && characters[4] == UInt8(ascii: "-") && characters[7] == UInt8(ascii: "-")
        let isTime = characters.count >= 8 && characters[2] == UInt8(ascii: ":") && characters[5] == UInt8(ascii: ":")
        return isDate || isTime
    }

    // MARK: Strings

    private mutating func basicString() throws(SyntaxError) -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else { throw error("the string is not closed on its line") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"): try escape(into: &out)
            default:
                guard byte >= 0x20 || byte == 0x09, byte != 0x7F else { throw error("a control character in a string must be escaped") }
                out.append(byte)
            }
        }
    }

    private mutating func multilineBasicString() throws(SyntaxError) -> String {
        position += 3
        skipFirstNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("the string is not closed") }
            if starts(with: "\"\"\"") {
                // Up to two quotes may stand right before the closing three.
                var quotes = 3
                while quotes < 5, peek(quotes) == UInt8(ascii: "\"") { quotes += 1 }
                out.append(contentsOf: Array(repeating: UInt8(ascii: "\""), count: quotes - 3))
                position += quotes
                return String(decoding: out, as: UTF8.self)
            }
            position += 1
            if byte == UInt8(ascii: "\\") {
                // A backslash at the end of a line joins it to the next, without the white space between.
                var look = position
                while look < bytes.count, bytes[look] == UInt8(ascii: " ") || bytes[look] == UInt8(ascii: "\t") { look += 1 }
                if look < bytes.count, bytes[look] == UInt8(ascii: "\n") || bytes[look] == UInt8(ascii: "\r") {
                    position = look
                    while let next = peek(), next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n")
                        || next == UInt8(ascii: "\r")
                    {
                        position += 1
                    }
                } else {
                    try escape(into: &out)
                }
            } else {
                out.append(byte)
            }
        }
    }

    private mutating func literalString() throws(SyntaxError) -> String {
        position += 1
        let start = position
        while let byte = peek(), byte != UInt8(ascii: "'") {
            guard byte != UInt8(ascii: "\n") else { throw error("the string is not closed on its line") }
            position += 1
        }
        guard peek() != nil else { throw error("the string is not closed") }
        defer { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func multilineLiteralString() throws(SyntaxError) -> String {
        position += 3
        skipFirstNewline()
        let start = position
        while !starts(with: "'''") {
            guard peek() != nil else { throw error("the string is not closed") }
            position += 1
        }
        var end = position
        var quotes = 3
        while quotes < 5, peek(quotes) == UInt8(ascii: "'") { quotes += 1 }
        end += quotes - 3
        position += quotes
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private mutating func skipFirstNewline() {
        if peek() == UInt8(ascii: "\n") {
            position += 1
        } else if peek() == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") {
            position += 2
        }
    }

    /// After a backslash: `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`.
    private mutating func escape(into out: inout [UInt8]) throws(SyntaxError) {
        guard let byte = peek() else { throw error("the string is not closed") }
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "r"): 0x0D,
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C,
        ]
        if let replacement = simple[byte] {
            out.append(replacement)
            return
        }
        let count = byte == UInt8(ascii: "u") ? 4 : byte == UInt8(ascii: "U") ? 8 : 0
        guard count > 0 else { throw error("unknown escape '\\\(Character(Unicode.Scalar(byte)))'") }
        guard position + count <= bytes.count, let code = UInt32(String(decoding: bytes[position..<(position + count)], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(code)
        else { throw error("\\u and \\U take 4 and 8 hexadecimal digits of a Unicode scalar") }
        position += count
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    // MARK: Reading

    private func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func starts(with text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return position + utf8.count <= bytes.count && bytes[position..<(position + utf8.count)].elementsEqual(utf8)
    }

    private mutating func expect(_ character: Character, _ message: String) throws(SyntaxError) {
        guard peek() == character.asciiValue else { throw error(message) }
        position += 1
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { position += 1 }
    }

    private mutating func skipComment() {
        while let byte = peek(), byte != UInt8(ascii: "\n") { position += 1 }
    }

    /// Spaces, comments and line breaks, as arrays allow between their items.
    private mutating func skipBlank() throws(SyntaxError) {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"): position += 1
            case UInt8(ascii: "\r") where peek(1) == UInt8(ascii: "\n"): position += 2
            case UInt8(ascii: "#"): skipComment()
            default: return
            }
        }
    }

    fileprivate func error(_ message: String) -> SyntaxError {
        let before = bytes[..<min(position, bytes.count)]
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<min(position, bytes.count)], as: UTF8.self).count + 1
        return SyntaxError(message: message, line: line, column: column)
    }
}

/// A table while it is being read: what has been defined in it, and how.
private final class Table {
    enum Entry {
        case value(ConfigTable.Value)
        case table(Table)
        case tables([Table])
    }

    var entries: [String: Entry] = [:]
    /// Made by a `[header]` of its own (it may not have another).
    var isExplicit = false
    /// Made by dotted keys of `key = value` lines (a header may not reopen it).
    var isDotted = false

    var value: [String: ConfigTable.Value] {
        entries.mapValues { entry in
            switch entry {
            case .value(let value): value
            case .table(let table): .table(table.value)
            case .tables(let tables): .array(tables.map { .table($0.value) })
            }
        }
    }

    /// A new table under `key`, made by a header of its own (`explicit`), by dotted keys, or neither.
    private func insertTable(_ key: String, explicit: Bool = false, dotted: Bool = false) -> Table {
        let table = Table()
        table.isExplicit = explicit
        table.isDotted = dotted
        entries[key] = .table(table)
        return table
    }

    /// The table `key` on the way to a header's last key: made implicitly if missing; the last
    /// element of an array of tables.
    func descend(_ key: String, at parser: TOMLParser) throws(TOMLParser.SyntaxError) -> Table {
        switch entries[key] {
        case nil: return insertTable(key)
        case .table(let table)?: return table
        case .tables(let tables)?: return tables[tables.count - 1]
        case .value?: throw parser.error("'\(key)' is already a value, not a table")
        }
    }

    /// The table `key` of a dotted key in a `key = value` line.
    func descendDotted(_ key: String, at parser: TOMLParser) throws(TOMLParser.SyntaxError) -> Table {
        switch entries[key] {
        case nil: return insertTable(key, dotted: true)
        case .table(let table)? where !table.isExplicit: return table
        default: throw parser.error("'\(key)' is already defined")
        }
    }

    func defineTable(_ key: String, at parser: TOMLParser) throws(TOMLParser.SyntaxError) -> Table {
        switch entries[key] {
        case nil: return insertTable(key, explicit: true)
        case .table(let table)? where !table.isExplicit && !table.isDotted:
            table.isExplicit = true
            return table
        default: throw parser.error("the table [\(key)] is already defined")
        }
    }

    func appendArrayTable(_ key: String, at parser: TOMLParser) throws(TOMLParser.SyntaxError) -> Table {
        let table = Table()
        switch entries[key] {
        case nil: entries[key] = .tables([table])
        case .tables(let tables)?: entries[key] = .tables(tables + [table])
        default: throw parser.error("'\(key)' is already defined, and not as an array of tables")
        }
        return table
    }

    func set(_ key: String, _ value: ConfigTable.Value, at parser: TOMLParser) throws(TOMLParser.SyntaxError) {
        guard entries[key] == nil else { throw parser.error("the key '\(key)' is defined twice") }
        entries[key] = .value(value)
    }
}
