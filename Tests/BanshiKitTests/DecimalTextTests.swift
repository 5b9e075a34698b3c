import Foundation
import Testing

@testable import BanshiKit

/// Fixed-point text for every double a caller can send.
@Suite("Decimal text")
struct DecimalTextTests {
    @Test("Scales, rounds half to even and pads")
    func ordinary() {
        let expected: [(Double, String, String)] = [
            (0, "0.00", "0.0"), (0.005, "0.00", "0.0"), (0.015, "0.02", "0.0"), (12000.125, "12000.12", "12000.1"),
            (-3.14159, "-3.14", "-3.1"), (381960, "381960.00", "381960.0"), (99_999_999.12, "99999999.12", "99999999.1"),
            (-0.0, "0.00", "0.0"), (0.1, "0.10", "0.1"), (0.25, "0.25", "0.2"),
        ]
        for (value, two, one) in expected {
            #expect(DecimalText.fixed(value, digits: 2) == two, "\(value)")
            #expect(DecimalText.fixed(value, digits: 1) == one, "\(value)")
        }
    }

    @Test("Amounts past 2^63 (1e30 from a caller) are written out whole, not trapped on")
    func huge() {
        for value in [1e30, -1e30, 0x1p63, 1.7976931348623157e308, 9.3e18] {
            #expect(DecimalText.fixed(value, digits: 2) == String(format: "%.2f", value), "\(value)")
            #expect(DecimalText.fixed(value, digits: 0) == String(format: "%.0f", value), "\(value)")
        }
    }
}
