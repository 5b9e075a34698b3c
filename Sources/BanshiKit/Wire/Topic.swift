/// An event type and topic: `<service>.<entity>.<past-tense-verb>`, e.g. `children.abuse.referred`.
///
/// Each part is lower-case ASCII letters, digits and hyphens, starting with a letter, so that a prefix
/// subscription (`children.`) selects exactly one service's family.
public struct Topic: Sendable, Hashable, CustomStringConvertible, Codable {
    public let service: String
    public let entity: String
    public let verb: String

    /// Validates `text`; throws an `invalid_argument` error that says what is wrong.
    public init(_ text: String) throws(CommandError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw CommandError(
                .invalidArgument, "topic '\(text)' must have three parts: <service>.<entity>.<verb>",
                field: "topic")
        }
        for part in parts where !Self.isValidPart(part) {
            throw CommandError(
                .invalidArgument,
                "topic '\(text)': part '\(part)' must start with a-z and hold only a-z, 0-9 and '-'",
                field: "topic")
        }
        service = parts[0]
        entity = parts[1]
        verb = parts[2]
    }

    /// Whether `text` is a valid topic, checked without allocating (the read path checks every event).
    public static func isValid(_ text: String) -> Bool {
        var parts = 0
        var partLength = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard partLength > 0 else { return false }
                parts += 1
                partLength = 0
                continue
            }
            let isLetter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isOther = (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            guard partLength == 0 ? isLetter : (isLetter || isOther), partLength < 64 else { return false }
            partLength += 1
        }
        return parts == 2 && partLength > 0
    }

    /// Whether `name` is usable as a service name or topic part.
    public static func isValidPart(_ part: String) -> Bool {
        isValidPart(part.utf8[...])
    }

    /// The same check on UTF-8 bytes, so that a caller holding part of a larger string need not copy it.
    static func isValidPart(_ part: Substring.UTF8View) -> Bool {
        guard let first = part.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return part.count <= 64 && part.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    public var description: String { "\(service).\(entity).\(verb)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
