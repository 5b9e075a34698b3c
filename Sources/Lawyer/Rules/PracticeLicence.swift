import BanshiKit

/// A lawyer's practice licence number (律师执业证号): 17 digits.
public struct PracticeLicence: Sendable, Hashable {
    public let text: String

    public init(_ text: String, field: String = "licence") throws(CommandError) {
        guard text.count == 17, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CommandError(.invalidArgument, "a practice licence number is 17 digits, not '\(text)'", field: field)
        }
        self.text = text
    }
}
