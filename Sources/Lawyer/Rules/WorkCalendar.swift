import BanshiKit

/// Working days as the law counts them: Monday to Friday, except public holidays, plus the weekend
/// days made working days (调休). Each year's lists are data in the calendar file, since the State
/// Council publishes them year by year; an operator adds next year's before it starts.
///
/// ```toml
/// [years.2026]
/// holidays = ["2026-01-01", ...]
/// working_weekends = ["2026-01-04", ...]
/// ```
public struct WorkCalendar: Sendable {
    public let file: String
    private var holidays: Set<CalendarDate> = []
    private var workingWeekends: Set<CalendarDate> = []
    private var years: Set<Int> = []

    /// Reads the calendar; a day that is not a day, or a year whose lists hold another year's days,
    /// stops the load naming the key.
    public init(file: String) throws(ConfigError) {
        self.file = file
        let root = try ConfigTable.load(file: file)
        try root.rejectUnknownKeys(["years"])
        let years = try root.table("years")
        for name in years.values.keys.sorted() {
            guard let year = Int(name), (2000...2100).contains(year) else { throw years.error(name, "is a year from 2000 to 2100") }
            let table = try years.table(name)
            try table.rejectUnknownKeys(["holidays", "working_weekends"])
            for (key, into) in [("holidays", \WorkCalendar.holidays), ("working_weekends", \WorkCalendar.workingWeekends)] {
                for text in try table.stringList(key) ?? [] {
                    guard let day = CalendarDate(text), day.year == year else {
                        throw table.error(key, "holds '\(text)', which is not a day of \(year) (YYYY-MM-DD)")
                    }
                    if key == "working_weekends", !day.isWeekend { throw table.error(key, "holds \(text), which is not a Saturday or Sunday") }
                    self[keyPath: into].insert(day)
                }
            }
            self.years.insert(year)
        }
    }

    /// A calendar from lists, for tests.
    public init(years: Set<Int>, holidays: Set<CalendarDate>, workingWeekends: Set<CalendarDate>) {
        file = "-"
        self.years = years
        self.holidays = holidays
        self.workingWeekends = workingWeekends
    }

    /// Whether `day` is a working day; `unavailable` naming the file when its year is not in it.
    public func isWorkingDay(_ day: CalendarDate) throws(CommandError) -> Bool {
        guard years.contains(day.year) else {
            throw CommandError(
                .unavailable, "the working-day calendar \(file) has no \(day.year): add that year's holidays and working weekends",
                details: ["year": .int(Int64(day.year))])
        }
        if workingWeekends.contains(day) { return true }
        return !day.isWeekend && !holidays.contains(day)
    }

    /// The years the calendar lists, in order.
    public var yearsListed: [Int] { years.sorted() }

    /// The first day from `today` on, within `horizon` days, whose request of `count` working days
    /// the calendar cannot date (its deadline runs into a year it lacks), with that year; `nil` when
    /// every request in the horizon can be dated.
    public func firstUndated(_ count: Int, from today: CalendarDate, within horizon: Int) -> (day: CalendarDate, year: Int)? {
        for offset in 0...max(0, horizon) {
            let day = today.adding(days: offset)
            do {
                _ = try workingDays(count, after: day)
            } catch {
                return (day, Int(error.details["year"]?.intValue ?? Int64(day.year)))
            }
        }
        return nil
    }

    /// The `count`-th working day after `day` (which itself does not count, working day or not).
    public func workingDays(_ count: Int, after day: CalendarDate) throws(CommandError) -> CalendarDate {
        var current = day
        var left = count
        while left > 0 {
            current = current.adding(days: 1)
            if try isWorkingDay(current) { left -= 1 }
        }
        return current
    }
}

extension CalendarDate {
    /// The ISO weekday: 1 is Monday, 7 Sunday (1 January 1970 was a Thursday).
    var weekday: Int { ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1 }
    /// Saturday or Sunday.
    var isWeekend: Bool { weekday >= 6 }
}
