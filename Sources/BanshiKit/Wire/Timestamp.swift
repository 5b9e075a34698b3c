import Foundation
import Glibc

/// RFC 3339 times as the wire contract spells them: UTC, `Z`, milliseconds.
///
/// Formatting and parsing are hand-written: every event carries a time, and Foundation's ISO 8601
/// styles were the largest single cost of appending and of reading events (and they accept dates
/// such as February 30 by rolling them over).
public enum Timestamp {
    /// Formats `date` as e.g. `2026-11-29T06:00:00.123Z`.
    public static func format(_ date: Date) -> String {
        let millisTotal = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millisTotal >= 0 ? millisTotal / 1000 : (millisTotal - 999) / 1000)
        let millis = Int(millisTotal - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ at: Int, _ width: Int) {
            var value = value
            for index in stride(from: at + width - 1, through: at, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 0, 4)
        bytes[4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, 5, 2)
        bytes[7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), 8, 2)
        bytes[10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), 11, 2)
        bytes[13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), 14, 2)
        bytes[16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), 17, 2)
        bytes[19] = UInt8(ascii: ".")
        put(millis, 20, 3)
        bytes[23] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an RFC 3339 time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    public static func parse(_ text: String) -> Date? {
        var bytes = Array(text.utf8)
        var offsetSeconds = 0
        if let last = bytes.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            bytes.removeLast()
        } else {
            guard bytes.count >= 6 else { return nil }
            let sign = bytes[bytes.count - 6]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), bytes[bytes.count - 3] == UInt8(ascii: ":") else { return nil }
            let digits = [bytes[bytes.count - 5], bytes[bytes.count - 4], bytes[bytes.count - 2], bytes[bytes.count - 1]]
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            let values = digits.map { Int($0 - UInt8(ascii: "0")) }
            let hours = values[0] * 10 + values[1]
            let minutes = values[2] * 10 + values[3]
            guard hours < 24, minutes < 60 else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            bytes.removeLast(6)
        }
        return parseLocal(bytes).map { $0.addingTimeInterval(TimeInterval(-offsetSeconds)) }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]`, read as UTC.
    private static func parseLocal(_ bytes: [UInt8]) -> Date? {
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ at: Int, _ width: Int) -> Int? {
            var value = 0
            for index in at..<(at + width) {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if bytes.count > 19 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 20 else { return nil }
            var scale = 0.1
            for byte in bytes[20...] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                fraction += Double(byte - UInt8(ascii: "0")) * scale
                scale /= 10
            }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalises an impossible date (Feb 30) into another: reject it instead.
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
