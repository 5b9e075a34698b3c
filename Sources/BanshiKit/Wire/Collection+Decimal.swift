extension Collection<UInt8> {
    /// The bytes read as an unsigned decimal number (`"0042"` is 42), or `nil` if any is not a digit:
    /// the fixed-width fields of dates and times.
    var decimalValue: Int? {
        var value = 0
        for byte in self {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
