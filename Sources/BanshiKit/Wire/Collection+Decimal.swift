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

extension UnsafeMutableBufferPointer<UInt8> {
    /// Writes the last `width` decimal digits of `value` (its magnitude) into the bytes from
    /// `index`, zero-padded on the left: the fixed-width fields of dates and times.
    func putDecimal(_ value: Int, at index: Int, width: Int) {
        var value = value.magnitude
        for position in stride(from: index + width - 1, through: index, by: -1) {
            self[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }
}
