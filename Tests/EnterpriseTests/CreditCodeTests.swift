import BanshiKit
import Enterprise
import Testing

/// Unified social credit codes (GB 32100-2015) at every boundary of the check character.
@Suite("Unified social credit codes")
struct CreditCodeTests {
    /// Real codes from the public register, and the standard's own example.
    static let valid = ["91350100M000100Y43", "91440300708461136T", "91330100799655058B", "91110000600037341L", "9144030071526726XG"]
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    @Test("The published codes are valid", arguments: valid)
    func published(_ code: String) throws {
        #expect(try CreditCode(code).text == code)
    }

    @Test("Every other check character is refused, naming the field and the character it should be", arguments: valid)
    func everyWrongCheckCharacter(_ code: String) {
        let body = String(code.prefix(17))
        let right = code.last!
        for wrong in Self.alphabet where wrong != right {
            #expect {
                try CreditCode(body + String(wrong), field: "credit_code")
            } throws: { error in
                let error = error as? CommandError
                return error?.code == .invalidArgument && error?.details["field"] == "credit_code"
                    && error?.message.contains("should be '\(right)'") == true
            }
        }
    }

    @Test("A wrong length, a letter outside the alphabet (I, O, Z, S, V) or lower case is refused with what is wrong")
    func malformed() {
        for (code, says) in [
            ("91350100M000100Y4", "18 characters, not 17"), ("91350100M000100Y433", "18 characters, not 19"),
            ("9135010OM000100Y43", "character 8"), ("91350100M000100I43", "character 16"), ("91350100m000100Y43", "character 9"),
        ] {
            #expect {
                try CreditCode(code)
            } throws: { error in (error as? CommandError)?.message.contains(says) == true }
        }
    }
}
