import BanshiKit

/// Keeps the operator ahead of the year end: the working-day calendar lists each year as the State
/// Council publishes it, and a file review whose deadline falls in a year it lacks is refused
/// (`unavailable`). A warning names the first day refused while that day is within
/// `DailyWarning.horizonDays` (the service logs it daily); `status` always says where the calendar ends.
enum CalendarOutlook {
    /// The warning for `today`, if one is due: the first request day refused, and the year to add.
    static func warning(_ calendar: WorkCalendar, workingDays: Int, today: CalendarDate) -> String? {
        guard let (day, year) = calendar.firstUndated(workingDays, from: today, within: DailyWarning.horizonDays) else { return nil }
        return "the working-day calendar \(calendar.file) has no \(year): file reviews \(DailyWarning.refusal(from: day, today: today)); add \(year)'s holidays and working weekends from the State Council's notice"
    }

    /// The calendar as `status` shows it: its file, the years it lists, and the first request day it
    /// cannot date (`null` when there is none within `DailyWarning.outlookDays`).
    static func status(_ calendar: WorkCalendar, workingDays: Int, today: CalendarDate) -> JSONValue {
        let refused = calendar.firstUndated(workingDays, from: today, within: DailyWarning.outlookDays)
        return [
            "file": .string(calendar.file), "years": .array(calendar.yearsListed.map { .int(Int64($0)) }),
            "refused_from": refused.map { .string($0.day.description) } ?? .null,
        ]
    }
}
