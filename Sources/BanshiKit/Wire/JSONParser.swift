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

    /// The input, borrowed for the parse: reading through a buffer pointer keeps reference counting
    /// off every byte access.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Per open object or array being pulled: whether a comma must come before the next item.
    private var commaExpected: [Bool] = []

    static func parse(_ input: [UInt8]) throws(Failure) -> JSONValue {
        let result = input.withUnsafeBufferPointer { bytes -> Result<JSONValue, Failure> in
            var parser = JSONParser(bytes: bytes)
            do throws(Failure) {
                parser.skipWhitespace()
                let value = try parser.value()
                parser.skipWhitespace()
                guard parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Runs `body` with a parser over `input`. With `whole`, checks that nothing but whitespace follows
    /// what it read; without, `body` may stop early (to peek at a leading member).
    static func withParser<T>(
        _ input: [UInt8], whole: Bool = true, _ body: (inout JSONParser) throws(Failure) -> T
    ) throws(Failure) -> T {
        let result = input.withUnsafeBufferPointer { bytes -> Result<T, Failure> in
            var parser = JSONParser(bytes: bytes)
            do throws(Failure) {
                parser.skipWhitespace()
                let value = try body(&parser)
                parser.skipWhitespace()
                guard !whole || parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
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
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
        index += 1
        skipWhitespace()
        return key
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
        commaExpected.append(false)
    }

    /// Consumes the closing bracket (returning `false`) or the comma before the next item.
    private mutating func nextItem(closing: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        if bytes[index] == closing {
            index += 1
            depth -= 1
            commaExpected.removeLast()
            return false
        }
        if commaExpected[commaExpected.count - 1] {
            guard bytes[index] == UInt8(ascii: ",") else {
                throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
            index += 1
            skipWhitespace()
        }
        commaExpected[commaExpected.count - 1] = true
        return true
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func failure(_ message: String) -> Failure { Failure(message: message, offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
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
        var members: [String: JSONValue] = [:]
        while let key = try nextMember() {
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

    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try validated(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in a string") }
            index += 1
        }
        var scalars: [UInt8] = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let text = scalars.withUnsafeBufferPointer { validatedText($0) }
                guard let text else { throw failure("invalid UTF-8 in a string") }
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

    /// The string of `slice`, rejecting invalid UTF-8. ASCII, by far the commonest case on the wire,
    /// skips the validating decoder.
    private func validated(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        guard let text = validatedText(buffer) else { throw failure("invalid UTF-8 in a string") }
        return text
    }

    private func validatedText(_ buffer: UnsafeBufferPointer<UInt8>) -> String? {
        for byte in buffer where byte >= 0x80 {
            return String(validating: buffer, as: UTF8.self)
        }
        return String(decoding: buffer, as: UTF8.self)
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
