import BanshiKit
import Foundation
import Testing

@Suite("CalendarDate: days and months as the law counts them")
struct CalendarDateTests {
    @Test("Only real days parse")
    func parsing() {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2023-13-01") == nil)
        #expect(CalendarDate("2023-1-01") == nil)
        #expect(CalendarDate("2023-01-01T00:00:00Z") == nil)
        #expect(CalendarDate("") == nil)
    }

    @Test("A day is written YYYY-MM-DD with its zeros, at either end of the years a day can have, and parses back within 1000–3000; a time's day likewise")
    func written() {
        #expect(CalendarDate(year: 1, month: 2, day: 3)?.description == "0001-02-03")
        #expect(CalendarDate(year: 9999, month: 12, day: 31)?.description == "9999-12-31")
        #expect(CalendarDate(year: 2026, month: 7, day: 9)?.description == "2026-07-09")
        for count in stride(from: -700_000, through: 2_900_000, by: 9_973) {
            let day = CalendarDate(daysSinceEpoch: count)
            #expect(CalendarDate(day.description) == ((1000...3000).contains(day.year) ? day : nil), "\(day.description)")
        }
        #expect(Timestamp.format(Timestamp(timeIntervalSince1970: 1_780_000_000.5)) == "2026-05-28T20:26:40.500Z")
    }

    @Test("Day arithmetic round-trips through the epoch count, across leap years and centuries")
    func days() {
        #expect(CalendarDate("1970-01-01")!.daysSinceEpoch == 0)
        #expect(CalendarDate("2000-03-01")!.daysSinceEpoch == 11_017)
        #expect(CalendarDate("1969-12-31")!.daysSinceEpoch == -1)
        for count in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: count).daysSinceEpoch == count)
        }
        #expect(CalendarDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(CalendarDate("2023-02-28")!.adding(days: 1).description == "2023-03-01")
        #expect(CalendarDate("2023-12-31")!.days(until: CalendarDate("2024-12-31")!) == 366)
    }

    @Test("A month later keeps the day, or takes the month's last day when it has none")
    func months() {
        #expect(CalendarDate("2024-08-31")!.adding(months: 6).description == "2025-02-28")
        #expect(CalendarDate("2024-01-31")!.adding(months: 1).description == "2024-02-29")
        #expect(CalendarDate("2024-11-15")!.adding(months: 2).description == "2025-01-15")
        #expect(CalendarDate("2008-02-29")!.adding(years: 18).description == "2026-02-28")
    }

    @Test("A moment becomes a day in China Standard Time")
    func chinaDay() {
        #expect(CalendarDate(Timestamp.parse("2026-03-14T15:59:59Z")!).description == "2026-03-14")
        #expect(CalendarDate(Timestamp.parse("2026-03-14T16:00:00Z")!).description == "2026-03-15")
        #expect(Timestamp.format(CalendarDate("2026-03-15")!.start) == "2026-03-14T16:00:00.000Z")
    }
}
