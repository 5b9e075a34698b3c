import SQLite

extension Row {
    /// The calendar day a text column holds (`2026-06-10`), nil when it is NULL or not a day.
    public func day(_ column: String) -> CalendarDate? {
        (self[column] as String?).flatMap(CalendarDate.init)
    }
}
