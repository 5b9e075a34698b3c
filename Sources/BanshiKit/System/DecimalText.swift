/// Numbers as fixed-point text (`%.2f`), without `String(format:)`.
public enum DecimalText {
    /// `value` with `digits` digits after the point, rounded half to even as `printf` rounds.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrEven)
        let negative = scaled < 0 || (scaled == 0 && value.sign == .minus && value != 0)
        var digitsText = String(UInt64(abs(scaled)))
        guard digits > 0 else { return (negative ? "-" : "") + digitsText }
        if digitsText.count <= digits { digitsText = String(repeating: "0", count: digits - digitsText.count + 1) + digitsText }
        let point = digitsText.index(digitsText.endIndex, offsetBy: -digits)
        return (negative ? "-" : "") + digitsText[..<point] + "." + digitsText[point...]
    }

    /// `value` in upper-case hexadecimal, at least `width` digits (`%04X`).
    public static func hex(_ value: UInt32, width: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
