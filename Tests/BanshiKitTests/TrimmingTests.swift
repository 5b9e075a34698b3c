import BanshiKit
import Foundation
import Testing

@Suite("Text arguments are trimmed as Foundation trims white space")
struct TrimmingTests {
    @Test("trimmingWhitespace agrees with trimmingCharacters(in: .whitespacesAndNewlines), ideographic space included")
    func agreesWithFoundation() {
        let samples = [
            "", " ", "\u{3000}", "张三", " 张三 ", "\u{3000}张三\u{3000}", "\t李四\n", "\u{00A0}王五\u{2003}", "a b", " a\u{3000}b ",
            "\r\n", "\u{2028}x\u{2029}", "\u{0085}y\u{000B}", "x\u{200B}", "  \u{3000}  ",
        ]
        for sample in samples {
            #expect(sample.trimmingWhitespace == sample.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(sample.unicodeScalars))")
        }
    }

    @Test("Every scalar of the Basic Multilingual Plane is trimmed, or not, as Foundation does")
    func everyScalar() {
        var disagree: [UInt32] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "\(scalar)x\(scalar)"
            if text.trimmingWhitespace != text.trimmingCharacters(in: .whitespacesAndNewlines) { disagree.append(value) }
        }
        #expect(disagree.isEmpty, "\(disagree.prefix(20).map { String($0, radix: 16) })")
    }
}
