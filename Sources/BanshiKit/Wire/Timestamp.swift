/// A moment of wall-clock time: seconds since 1970-01-01 00:00 UTC.
///
/// Banshi's services do without Foundation (each process that loads it maps some 9 MB more:
/// docs/architecture.md), so this is their `Date`, with the part of its interface they use. On the
/// wire a timestamp is RFC 3339 as the contract spells it: UTC, `Z`, milliseconds.
///
/// Formatting and parsing are hand-written: every event carries a time, and Foundation's ISO 8601
/// styles were the largest single cost of appending and of reading events (and they accept dates
/// such as February 30 by rolling them over).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01 00:00 UTC, negative before it.
    public let timeIntervalSince1970: Double

    public init(timeIntervalSince1970 seconds: Double) { timeIntervalSince1970 = seconds }

    /// Now, by the system's real-time clock (in a debug build, moved by `TestClockOffset`).
    public init() { timeIntervalSince1970 = Double(WallClock.nanoseconds()) / 1e9 }

    /// Now, as `init()` reads it.
    public static var now: Timestamp { Timestamp() }

    /// Long before anything Banshi records.
    public static let distantPast = Timestamp(timeIntervalSince1970: -62_135_596_800)

    public func addingTimeInterval(_ seconds: Double) -> Timestamp { Timestamp(timeIntervalSince1970: timeIntervalSince1970 + seconds) }

    /// Seconds from `other` to this moment.
    public func timeIntervalSince(_ other: Timestamp) -> Double { timeIntervalSince1970 - other.timeIntervalSince1970 }

    /// Seconds from now to this moment (negative when it has passed).
    public var timeIntervalSinceNow: Double { timeIntervalSince(Timestamp()) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.timeIntervalSince1970 < rhs.timeIntervalSince1970 }

    /// As the wire spells it.
    public var description: String { Self.format(self) }

    /// Formats `date` as e.g. `2026-11-29T06:00:00.123Z`.
    public static func format(_ date: Timestamp) -> String {
        let millisTotal = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (seconds, millis) = floorDivide(millisTotal, 1000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        // The calendar arithmetic is CalendarDate's; glibc's gmtime_r would take the time-zone lock.
        let day = CalendarDate(daysSinceEpoch: Int(days))
        return String(unsafeUninitializedCapacity: 24) { bytes in
            day.write(into: bytes)
            bytes[10] = UInt8(ascii: "T")
            bytes.putDecimal(Int(secondOfDay / 3600), at: 11, width: 2)
            bytes[13] = UInt8(ascii: ":")
            bytes.putDecimal(Int(secondOfDay / 60 % 60), at: 14, width: 2)
            bytes[16] = UInt8(ascii: ":")
            bytes.putDecimal(Int(secondOfDay % 60), at: 17, width: 2)
            bytes[19] = UInt8(ascii: ".")
            bytes.putDecimal(Int(millis), at: 20, width: 3)
            bytes[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses an RFC 3339 time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Every event a subscriber
    /// receives is checked here, so it reads the string's bytes in place.
    public static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard let last = bytes.last else { return nil }
        var end = bytes.count
        var offsetSeconds = 0
        if last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            end -= 1
        } else {
            guard end >= 6 else { return nil }
            let sign = bytes[end - 6]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), bytes[end - 3] == UInt8(ascii: ":"),
                let hours = bytes[(end - 5)..<(end - 3)].decimalValue, let minutes = bytes[(end - 2)..<end].decimalValue,
                hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            end -= 6
        }
        return parseLocal(UnsafeBufferPointer(rebasing: bytes[..<end])).map { $0.addingTimeInterval(Double(-offsetSeconds)) }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]`, read as UTC. An impossible day (February 30) is refused.
    private static func parseLocal(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":")
        else { return nil }
        guard let year = bytes[0..<4].decimalValue, let month = bytes[5..<7].decimalValue, let dayOfMonth = bytes[8..<10].decimalValue,
            let hour = bytes[11..<13].decimalValue, let minute = bytes[14..<16].decimalValue, let second = bytes[17..<19].decimalValue,
            let day = CalendarDate(year: year, month: month, day: dayOfMonth), hour < 24, minute < 60, second < 61
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
        let seconds = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        return Timestamp(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Quotient and remainder rounded toward negative infinity, so times before 1970 format too.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }
}
