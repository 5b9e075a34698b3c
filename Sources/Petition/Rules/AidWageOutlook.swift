import BanshiKit

/// Keeps the operator ahead of the aid wage table: an approval whose year before (and the year before
/// that, standing in until it is published) has no average wage is refused (`unavailable`). A warning
/// names the first day refused while that day is within `DailyWarning.horizonDays` (the service logs it
/// daily); `status` says which year's wage an approval made today uses.
enum AidWageOutlook {
    /// The warning for `today`, if one is due: the first day approvals are refused, and the year to add.
    static func warning(_ cap: AidCap, today: CalendarDate) -> String? {
        guard let (day, year) = cap.firstRefused(from: today, within: DailyWarning.horizonDays) else { return nil }
        return "the aid wage table \(cap.file) has no average monthly wage for \(year): aid approvals \(DailyWarning.refusal(from: day, today: today)); add it as the provincial statistics bureau publishes it"
    }

    /// The table as `status` shows it: its file, the years it lists, the year whose wage sets the cap
    /// of an approval made today (`null` when none does), and the first day approvals are refused
    /// within `DailyWarning.outlookDays` (`null` when there is none).
    static func status(_ cap: AidCap, today: CalendarDate) -> JSONValue {
        [
            "file": .string(cap.file), "years": .array(cap.wages.keys.sorted().map { .int(Int64($0)) }),
            "wage_year_today": (try? cap.cap(forDecisionIn: today.year)).map { .int(Int64($0.wageYear)) } ?? .null,
            "refused_from": cap.firstRefused(from: today, within: DailyWarning.outlookDays).map { .string($0.day.description) } ?? .null,
        ]
    }
}
