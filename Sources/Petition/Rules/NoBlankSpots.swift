import BanshiKit

/// "No blank spots" (两级检察院每个年度均消灭司法救助空白点): every procuratorate grants judicial aid at least
/// once each year. A procuratorate counts for the year of the decision that granted aid, the calendar
/// year of its day in China Standard Time. One definition, read by `aid.blank-spots` and by reporting's
/// indicator (through the `decided_on` day that `petition.aid.decided` carries), so the two cannot disagree.
public enum NoBlankSpots {
    /// The year a decision on `decidedOn` counts for.
    public static func year(decidedOn: CalendarDate) -> Int { decidedOn.year }

    /// The stored decision instants (`decided_at`, UTC text) that fall in `year`: from its first moment to
    /// the next year's, in China Standard Time.
    static func bounds(year: Int) -> (from: String, to: String) {
        (Timestamp.format(CalendarDate(year: year, month: 1, day: 1)!.start), Timestamp.format(CalendarDate(year: year + 1, month: 1, day: 1)!.start))
    }
}
