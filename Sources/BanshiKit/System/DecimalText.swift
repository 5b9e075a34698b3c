/// Numbers as fixed-point text (`%.2f`), without `String(format:)`.
public enum DecimalText {
    /// `value` with `digits` digits after the point: `value` times 10^`digits`, rounded half to even.
    /// That is `printf`'s `%.Nf` but at an exact half after scaling, which `printf` judges on the
    /// binary value (0.005 gives 0.00 here and 0.01 there), and a negative zero is written `0.00`.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrEven)
        let negative = scaled < 0 || (scaled == 0 && value.sign == .minus && value != 0)
        // Past 2^53 a double is a whole number; past 2^64 it no longer fits a UInt64 (an amount of
        // 1e30 from a caller), and its digits are worked out in decimal.
        guard abs(scaled) < 0x1p63 else {
            return (value < 0 ? "-" : "") + wholeDigits(abs(value)) + (digits > 0 ? "." + String(repeating: "0", count: digits) : "")
        }
        var digitsText = String(UInt64(abs(scaled)))
        guard digits > 0 else { return (negative ? "-" : "") + digitsText }
        if digitsText.count <= digits { digitsText = String(repeating: "0", count: digits - digitsText.count + 1) + digitsText }
        let point = digitsText.index(digitsText.endIndex, offsetBy: -digits)
        return (negative ? "-" : "") + digitsText[..<point] + "." + digitsText[point...]
    }

    /// The exact decimal digits of `value`, a whole number of at least 2^53: its significand doubled
    /// exponent times, in base 10.
    private static func wholeDigits(_ value: Double) -> String {
        var digits: [UInt8] = []  // least significant first
        var significand = value.significandBitPattern | 1 << 52
        while significand > 0 {
            digits.append(UInt8(significand % 10))
            significand /= 10
        }
        for _ in 0..<Int(value.exponent) - 52 {
            var carry: UInt8 = 0
            for index in digits.indices {
                let doubled = digits[index] * 2 + carry
                digits[index] = doubled % 10
                carry = doubled / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        return String(decoding: digits.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// `value` in upper-case hexadecimal, at least `width` digits (`%04X`).
    public static func hex(_ value: UInt32, width: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
