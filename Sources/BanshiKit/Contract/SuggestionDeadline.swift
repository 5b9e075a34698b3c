/// When an agency must answer a procuratorial suggestion (检察建议): within two calendar months of its
/// issue (人民检察院检察建议工作规定; the month's end when the day does not exist, so 31 December gives
/// 28 or 29 February), within fifteen days when urgent. One rule for the public-interest cases' pre-litigation
/// suggestions and the children program's remedies; the months and days are configuration.
public enum SuggestionDeadline {
    /// The last day of the reply period.
    public static func due(issuedOn day: CalendarDate, urgent: Bool, months: Int, urgentDays: Int) -> CalendarDate {
        urgent ? day.adding(days: urgentDays) : day.adding(months: months)
    }
}
