#if canImport(Glibc)
import Glibc
#endif

/// A strict JSON parser (RFC 8259) from UTF-8 bytes straight to `JSONValue`.
///
/// Foundation's decoders go through `Codable` and try each JSON type in turn, which made decoding a
/// page of 10,000 events the slowest step of catch-up. This parser reads each byte once, rejects what
/// a peer must not send (invalid UTF-8, nesting deeper than `maxDepth`, trailing garbage), and keeps
/// integers exact as `Int64`.
struct JSONParser {
    /// Why a text is not JSON, with the byte offset.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    static let maxDepth = 256

    /// Where the parser stands in its input: the next byte to read.
    var offset: Int { index }

    /// A copy of the input from `start` up to where the parser stands: the text of a value just read.
    func text(from start: Int) -> [UInt8] { Array(bytes[start..<index]) }

    /// The input, borrowed for the parse: reading through a buffer pointer keeps reference counting
    /// off every byte access.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Whether the object or array being read has had an item yet, so that the next one must
    /// follow a comma. One flag serves every level: a container that closes was an item of the one
    /// around it.
    private var hasItem = false

    static func parse(_ input: [UInt8]) throws(Failure) -> JSONValue {
        try withParser(input) { parser throws(Failure) in try parser.value() }
    }

    /// Runs `body` with a parser over `input`. With `whole`, checks that nothing but whitespace follows
    /// what it read; without, `body` may stop early (to peek at a leading member).
    static func withParser<T>(
        _ input: [UInt8], whole: Bool = true, _ body: (inout JSONParser) throws(Failure) -> T
    ) throws(Failure) -> T {
        try input.withUnsafeBufferPointer { bytes throws(Failure) -> T in try withParser(bytes, whole: whole, body) }
    }

    /// The same over bytes lent for the call (a ZeroMQ frame where libzmq holds it, say).
    static func withParser<T>(
        _ bytes: UnsafeBufferPointer<UInt8>, whole: Bool = true, _ body: (inout JSONParser) throws(Failure) -> T
    ) throws(Failure) -> T {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try body(&parser)
        parser.skipWhitespace()
        guard !whole || parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    // MARK: Pull parsing, for records read member by member without a dictionary

    /// Consumes the `{` of an object.
    mutating func beginObject() throws(Failure) {
        try begin(UInt8(ascii: "{"), "expected an object")
    }

    /// The next member's name (its value is next to read), or `nil` once the object's `}` is consumed.
    mutating func nextMember() throws(Failure) -> String? {
        guard try nextItem(closing: UInt8(ascii: "}")) else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
        let key = try string()
        try colon()
        return key
    }

    /// The next member's name as its position in `names`, or `names.count` for a name not among them;
    /// `nil` once the object's `}` is consumed. A record with known members reads them this way,
    /// without making a string of each name; `expected`, the position that usually comes next, is
    /// tried first.
    mutating func nextMember(among names: MemberNames, expected: Int) throws(Failure) -> Int? {
        guard try nextItem(closing: UInt8(ascii: "}")) else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
        let position: Int
        if let plain = plainString() {
            position = names.position(of: plain, expected: expected)
        } else {
            let key = try string()
            position = names.names.firstIndex(of: key) ?? names.count
        }
        try colon()
        return position
    }

    /// The member names a record reader knows, kept as bytes to compare with the input's.
    struct MemberNames: Sendable {
        let names: [String]
        private let utf8: [[UInt8]]

        init(_ names: [String]) {
            self.names = names
            self.utf8 = names.map { Array($0.utf8) }
        }

        var count: Int { names.count }

        func position(of text: UnsafeBufferPointer<UInt8>, expected: Int) -> Int {
            func matches(_ name: [UInt8]) -> Bool { name.withUnsafeBufferPointer { JSONParser.equal(text, $0) } }
            if expected < utf8.count, matches(utf8[expected]) { return expected }
            return utf8.firstIndex(where: matches) ?? utf8.count
        }
    }

    /// Whether two byte runs are the same.
    private static func equal(_ text: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        text.count == other.count && (text.isEmpty || memcmp(text.baseAddress!, other.baseAddress!, text.count) == 0)
    }

    private mutating func colon() throws(Failure) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
        index += 1
        skipWhitespace()
    }

    /// Whether the next value is a string, or `null`.
    var atString: Bool { index < bytes.count && bytes[index] == UInt8(ascii: "\"") }
    var atNull: Bool { index < bytes.count && bytes[index] == UInt8(ascii: "n") }

    /// Consumes a `null`.
    mutating func null() throws(Failure) { try literal("null") }

    /// The string value that comes next. When its text is `constant`'s, that is the string returned,
    /// so that a value every record repeats (a version, a media type) is not made again each time.
    /// (`constant` should be a literal: those are made once, for the life of the process.)
    mutating func string(usually constant: String) throws(Failure) -> String {
        guard let plain = plainString() else { return try string() }
        let same = constant.utf8.withContiguousStorageIfAvailable { Self.equal(plain, $0) } ?? false
        return same ? constant : String(decoding: plain, as: UTF8.self)
    }

    /// The bytes between the quotes of the string at the position, consumed, when they need no
    /// decoding: printable ASCII without escapes. Otherwise `nil`, and nothing is consumed.
    private mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        let start = index + 1
        let end = JSONStringScan.plainRunEnd(bytes, from: start, nonASCII: false)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        index = end + 1
        return UnsafeBufferPointer(start: bytes.baseAddress! + start, count: end - start)
    }

    /// Consumes the `[` of an array.
    mutating func beginArray() throws(Failure) {
        try begin(UInt8(ascii: "["), "expected an array")
    }

    /// Whether another element follows (positioned at it); `false` once the array's `]` is consumed.
    mutating func nextElement() throws(Failure) -> Bool {
        try nextItem(closing: UInt8(ascii: "]"))
    }

    private mutating func begin(_ opening: UInt8, _ expectation: String) throws(Failure) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == opening else { throw failure(expectation) }
        try enter()
        index += 1
        hasItem = false
    }

    /// Consumes the closing bracket (returning `false`) or the comma before the next item.
    private mutating func nextItem(closing: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        if bytes[index] == closing {
            index += 1
            depth -= 1
            hasItem = true
            return false
        }
        if hasItem {
            guard bytes[index] == UInt8(ascii: ",") else {
                throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
            index += 1
            skipWhitespace()
        }
        hasItem = true
        return true
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func failure(_ message: String) -> Failure { Failure(message: message, offset: index) }

    private mutating func skipWhitespace() {
        var at = index
        while at < bytes.count {
            let byte = bytes[at]
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            at += 1
        }
        index = at
    }

    mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end of input") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw failure("invalid literal")
        }
        index += count
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try beginObject()
        // Most objects on the wire are small records: room for a few members, made at the first,
        // spares the rehashing of growing from empty (and an empty object allocates nothing).
        var members: [String: JSONValue] = [:]
        while let key = try nextMember() {
            if members.isEmpty { members = Dictionary(minimumCapacity: 8) }
            members[key] = try value()
        }
        return .object(members)
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try beginArray()
        var elements: [JSONValue] = []
        while try nextElement() {
            elements.append(try value())
        }
        return .array(elements)
    }

    /// The string value at the position (at its opening quote).
    mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, and most often ASCII, which needs no validating.
        var end = JSONStringScan.plainRunEnd(bytes, from: start, nonASCII: false)
        let ascii = end == bytes.count || bytes[end] < 0x80
        if !ascii { end = JSONStringScan.plainRunEnd(bytes, from: end, nonASCII: true) }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let text = UnsafeBufferPointer(start: bytes.baseAddress! + start, count: end - start)
            guard let string = ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self) else {
                throw failure("invalid UTF-8 in a string")
            }
            index = end + 1
            return string
        }
        index = end
        var scalars: [UInt8] = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: scalars, as: UTF8.self) else { throw failure("invalid UTF-8 in a string") }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw failure("unexpected end of input") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw failure("unpaired surrogate")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("invalid code point") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw failure("invalid escape")
                }
            default:
                if byte < 0x20 { throw failure("control character in a string") }
                scalars.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("unexpected end of input") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape")
            }
            code = code << 4 | digit
            index += 1
        }
        return code
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
        // Integers (seqs, counts, clocks) are accumulated as they are read; the text is made only for
        // fractions, exponents and integers past Int64.
        var magnitude: Int64 = 0
        var fits = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - UInt8(ascii: "0"))
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
                fits = fits && !overflow1 && !overflow2
                magnitude = next
                index += 1
            }
        }
        let next = index < bytes.count ? bytes[index] : 0
        if fits, next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") { return .int(magnitude) }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { throw failure("number out of range") }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
