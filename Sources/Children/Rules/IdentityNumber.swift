import BanshiKit

/// A resident identity card number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character.
public struct IdentityNumber: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432")

    /// Validates `text`; the error says what is wrong and names `field`.
    public init(_ text: String, field: String) throws(CommandError) {
        let characters = Array(text.uppercased())
        guard characters.count == 18, characters.prefix(17).allSatisfy(\.isASCIIDigit) else {
            throw CommandError(.invalidArgument, "an identity number has 17 digits and a check character", field: field)
        }
        let sum = zip(characters.prefix(17), Self.weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        guard characters[17] == Self.checkCharacters[sum % 11] else {
            throw CommandError(.invalidArgument, "the identity number's check character is wrong", field: field)
        }
        guard CalendarDate(String(characters[6..<14]).inserting("-", at: [4, 6])) != nil else {
            throw CommandError(.invalidArgument, "the identity number holds no valid birth date", field: field)
        }
        self.text = String(characters)
    }

    /// The birth date the number encodes (digits 7 to 14).
    public var birthDate: CalendarDate {
        CalendarDate(String(Array(text)[6..<14]).inserting("-", at: [4, 6]))!
    }

    public var description: String { text }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// `"20080101"` with `-` at [4, 6] is `"2008-01-01"`.
    fileprivate func inserting(_ separator: Character, at offsets: [Int]) -> String {
        var result = ""
        for (index, character) in enumerated() {
            if offsets.contains(index) { result.append(separator) }
            result.append(character)
        }
        return result
    }
}
