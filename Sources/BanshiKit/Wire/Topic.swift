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

    /// Whether `text` is a valid topic, checked in place (the read path checks every event).
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isValid(bytes:))
    }

    static func isValid(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts = 0
        var partStart = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
            guard isValidPart(bytes: UnsafeBufferPointer(rebasing: bytes[partStart..<offset])) else { return false }
            parts += 1
            partStart = offset + 1
        }
        return parts == 2 && isValidPart(bytes: UnsafeBufferPointer(rebasing: bytes[partStart...]))
    }

    /// Whether `name` is usable as a service name or topic part.
    public static func isValidPart(_ part: String) -> Bool {
        var part = part
        return part.withUTF8(isValidPart(bytes:))
    }

    /// The same check on UTF-8 bytes, so that a caller holding part of a larger string need not copy it.
    static func isValidPart(bytes part: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = part.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), part.count <= 64 else {
            return false
        }
        for byte in part {
            let isLetter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || isDigit || byte == UInt8(ascii: "-") else { return false }
        }
        return true
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
