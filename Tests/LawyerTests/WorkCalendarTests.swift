import BanshiKit
import BanshiTesting
@testable import Lawyer
import Testing

/// Three working days, counted on the calendar's data, at every boundary the law meets.
@Suite("Working days")
struct WorkCalendarTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// The shipped calendar: 2026's holidays and adjusted working weekends.
    static let shipped = try! WorkCalendar(file: "config/calendar.toml")

    @Test("Across a weekend: a Thursday's request is due the Tuesday; a Friday's the Wednesday")
    func weekend() throws {
        #expect(try Self.shipped.workingDays(3, after: Self.day("2026-03-12")) == Self.day("2026-03-17"))
        #expect(try Self.shipped.workingDays(3, after: Self.day("2026-03-13")) == Self.day("2026-03-18"))
        #expect(try Self.shipped.workingDays(0, after: Self.day("2026-03-13")) == Self.day("2026-03-13"), "at once: the same day")
    }

    @Test("Across a public holiday with an adjusted working Saturday: the Friday before the National Day week")
    func holidayWeek() throws {
        // 2026-09-30 is a Wednesday; 1-7 October are holidays; Saturday 10 October is a working day.
        #expect(try Self.shipped.workingDays(3, after: Self.day("2026-09-30")) == Self.day("2026-10-10"))
        // 2026-02-13 is the Friday before the Spring Festival; Saturday 14 February is a working day, 15-23 holidays.
        #expect(try Self.shipped.workingDays(3, after: Self.day("2026-02-13")) == Self.day("2026-02-25"))
    }

    @Test("A request made on a holiday counts from the next working day")
    func requestOnHoliday() throws {
        // Saturday 3 October, a holiday: Thursday 8, Friday 9, then the working Saturday 10 October.
        #expect(try Self.shipped.workingDays(3, after: Self.day("2026-10-03")) == Self.day("2026-10-10"))
        // Sunday 15 February, a Spring Festival holiday: Tuesday 24, Wednesday 25, Thursday 26.
        #expect(try Self.shipped.workingDays(3, after: Self.day("2026-02-15")) == Self.day("2026-02-26"))
    }

    @Test("Across a year end: the next year must be in the calendar, or the clock refuses, naming the file")
    func yearEnd() throws {
        let calendar = WorkCalendar(years: [2026, 2027], holidays: [Self.day("2027-01-01")], workingWeekends: [])
        // Wednesday 30 December 2026: Thursday 31, (Friday 1 January a holiday), Monday 4, Tuesday 5.
        #expect(try calendar.workingDays(3, after: Self.day("2026-12-30")) == Self.day("2027-01-05"))
        #expect {
            try Self.shipped.workingDays(3, after: Self.day("2026-12-30"))
        } throws: { error in
            let error = error as? CommandError
            return error?.code == .unavailable && error?.message.contains("config/calendar.toml has no 2027") == true
        }
    }

    @Test("Ahead of a year the calendar lacks: the first request day it cannot date is warned of within 60 days, and status shows it")
    func yearAhead() throws {
        // Tuesday 29 December 2026: Wednesday 30, Thursday 31, then 2027, which the shipped calendar lacks.
        let found = Self.shipped.firstUndated(3, from: Self.day("2026-12-02"), within: 60)
        #expect(found?.day == Self.day("2026-12-29") && found?.year == 2027)
        #expect(Self.shipped.firstUndated(3, from: Self.day("2026-12-28"), within: 0) == nil, "Monday 28: due Thursday 31")
        #expect(CalendarOutlook.warning(Self.shipped, workingDays: 3, today: Self.day("2026-10-29")) == nil, "61 days ahead: not yet")
        #expect(CalendarOutlook.warning(Self.shipped, workingDays: 3, today: Self.day("2026-12-02")) == """
            the working-day calendar config/calendar.toml has no 2027: file reviews will be refused (unavailable) from 2026-12-29; \
            add 2027's holidays and working weekends from the State Council's notice
            """)
        // A year under way that the calendar lacks: refused from today.
        #expect(CalendarOutlook.warning(Self.shipped, workingDays: 3, today: Self.day("2027-03-01"))?.contains("are refused (unavailable) from today") == true)
        #expect(CalendarOutlook.status(Self.shipped, workingDays: 3, today: Self.day("2026-12-02")) == [
            "file": "config/calendar.toml", "years": [2025, 2026], "refused_from": "2026-12-29",
        ])
        #expect(CalendarOutlook.status(Self.shipped, workingDays: 3, today: Self.day("2025-01-01"))["refused_from"] == .null, "400 days ahead are dated")
    }

    @Test("A calendar day that is not a day, or a working weekend that is a weekday, stops the load naming the key")
    func badFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (text, key) in [
            ("[years.2026]\nholidays = [\"2026-02-30\"]\n", "years.2026.holidays"),
            ("[years.2026]\nworking_weekends = [\"2026-03-11\"]\n", "years.2026.working_weekends"),
            ("[years.2026]\nholidays = [\"2025-01-01\"]\n", "years.2026.holidays"),
        ] {
            try text.write(toFile: directory.file("calendar.toml"), atomically: true, encoding: .utf8)
            #expect { try WorkCalendar(file: directory.file("calendar.toml")) } throws: { ($0 as? ConfigError)?.key == key }
        }
    }
}
