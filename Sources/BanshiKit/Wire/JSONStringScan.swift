/// Finds where a JSON string's plain run ends: the first quote, backslash or control character
/// (and, unless `nonASCII` is allowed, the first byte of a multi-byte character).
///
/// Both the parser and the serializer scan every string of every event, so this looks at eight bytes
/// at a time: a word with none of those bytes is skipped with a few arithmetic operations instead of
/// eight compares.
enum JSONStringScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The offset from `start` of the first byte that ends a plain run, or `buffer.count` if none does.
    static func plainRunEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, nonASCII: Bool) -> Int {
        guard let base = buffer.baseAddress else { return start }
        var offset = start
        let raw = UnsafeRawPointer(base)
        while offset + 8 <= buffer.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            var found = hasByteBelow(word, 0x20) | hasZeroByte(word ^ (ones &* 0x22)) | hasZeroByte(word ^ (ones &* 0x5C))
            if !nonASCII { found |= word & highBits }
            if found != 0 {
                // The lowest flagged byte is exact (a borrow only flags bytes above a true match), and
                // read little-endian, the lowest bits are the first byte.
                return offset + found.trailingZeroBitCount / 8
            }
            offset += 8
        }
        while offset < buffer.count {
            let byte = buffer[offset]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || (!nonASCII && byte >= 0x80) { return offset }
            offset += 1
        }
        return offset
    }

    /// The high bit of each byte of `word` that is zero (exact for the lowest such byte).
    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// The high bit of each byte of `word` below `limit` (at most 0x80; exact for the lowest such byte).
    @inline(__always)
    private static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highBits
    }
}
