/// A calendar day (`YYYY-MM-DD`) with no time of day: birth dates, offence dates, probation ends.
///
/// Legal periods count in days and months, not in seconds, so they get their own type with exact day
/// arithmetic (proleptic Gregorian, days counted from 1970-01-01) instead of `Timestamp` and a time zone
/// guess. A `Timestamp` becomes a day in China Standard Time (UTC+8, no daylight saving), where the
/// procuratorate's days begin and end.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The day `year-month-day`, or `nil` when there is no such day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`, years 1000 to 3000: far enough from the type's limits that a
    /// century of arithmetic on a parsed day can never leave them.
    public init?(_ text: String) {
        var text = text
        let fields = text.withUTF8 { bytes -> (year: Int, month: Int, day: Int)? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                let year = bytes[0..<4].decimalValue, (1000...3000).contains(year), let month = bytes[5..<7].decimalValue,
                let day = bytes[8..<10].decimalValue
            else {
                return nil
            }
            return (year, month, day)
        }
        guard let fields else { return nil }
        self.init(year: fields.year, month: fields.month, day: fields.day)
    }

    /// The offset of China Standard Time from UTC, in seconds.
    static let chinaOffset: Double = 8 * 3600

    /// The day on which `date` falls in China Standard Time.
    public init(_ date: Timestamp) {
        self.init(daysSinceEpoch: Int(((date.timeIntervalSince1970 + Self.chinaOffset) / 86_400).rounded(.down)))
    }

    /// The instant this day begins in China Standard Time: the inverse of `init(_ date:)`, for
    /// querying stored UTC times by day.
    public var start: Timestamp {
        Timestamp(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400 - Self.chinaOffset)
    }

    /// The day `days` after 1970-01-01 (negative before it).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day `months` later; a day the target month lacks becomes its last day
    /// (2024-08-31 plus 6 months is 2025-02-28).
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let targetYear = index / 12
        let targetMonth = index % 12 + 1
        let targetDay = min(day, Self.daysIn(month: targetMonth, year: targetYear))
        return CalendarDate(year: targetYear, month: targetMonth, day: targetDay)!
    }

    public func adding(years: Int) -> CalendarDate { adding(months: years * 12) }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: CalendarDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// `YYYY-MM-DD`: ten bytes, a string that needs no allocation. Reporting formats a day for
    /// nearly every event it applies.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { bytes in
            write(into: bytes)
            return 10
        }
    }

    /// Writes `YYYY-MM-DD` into the first ten of `bytes`.
    func write(into bytes: UnsafeMutableBufferPointer<UInt8>) {
        bytes.putDecimal(year, at: 0, width: 4)
        bytes[4] = UInt8(ascii: "-")
        bytes.putDecimal(month, at: 5, width: 2)
        bytes[7] = UInt8(ascii: "-")
        bytes.putDecimal(day, at: 8, width: 2)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
