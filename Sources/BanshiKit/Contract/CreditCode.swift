/// A unified social credit code (统一社会信用代码, GB 32100-2015), the identifier of an enterprise that
/// crosses services (an operator of a food site, an enterprise in outreach): 18 characters from an alphabet of 31
/// (the digits and the capitals but I, O, Z, S and V). The 18th is a check character: the first 17,
/// weighted by 3^(i-1) mod 31 and summed, plus the check character's value is a multiple of 31.
public struct CreditCode: Sendable, Hashable, CustomStringConvertible {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public let text: String
    public var description: String { text }

    /// Checks `text`; the error names `field` and says what is wrong, the check character it should
    /// have included.
    public init(_ text: String, field: String = "credit_code") throws(CommandError) {
        let characters = Array(text)
        guard characters.count == 18 else {
            throw CommandError(.invalidArgument, "a unified social credit code has 18 characters, not \(characters.count)", field: field)
        }
        var values: [Int] = []
        for (index, character) in characters.enumerated() {
            guard let value = Self.alphabet.firstIndex(of: character) else {
                throw CommandError(
                    .invalidArgument,
                    "character \(index + 1) of the credit code, '\(character)', is not one of 0-9 and the capitals but I, O, Z, S, V",
                    field: field)
            }
            values.append(value)
        }
        let expected = Self.checkCharacter(values.prefix(17))
        guard characters[17] == expected else {
            throw CommandError(
                .invalidArgument, "the credit code's check character is '\(characters[17])'; for \(String(characters.prefix(17))) it should be '\(expected)'",
                field: field)
        }
        self.text = text
    }

    /// The check character for the first 17 characters' values.
    static func checkCharacter(_ values: ArraySlice<Int>) -> Character {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return alphabet[(31 - sum % 31) % 31]
    }
}
