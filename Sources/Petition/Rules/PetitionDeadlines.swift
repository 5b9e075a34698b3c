import BanshiKit

/// The deadlines of a petition (人民检察院信访工作规定): a procedural reply within 7 days of receipt, the
/// process or result within 3 months, then a follow-up every month until the petition is concluded.
///
/// Periods count in calendar days in China Standard Time, and the day of receipt does not count (as
/// CPL art. 105 counts periods): a petition received on 1 March has its procedural reply due by the end
/// of 8 March, and is overdue from 9 March.
public enum PetitionDeadlines {
    public static let proceduralReplyDays = 7
    public static let resultMonths = 3
    public static let followUpMonths = 1

    /// The last day for the procedural reply.
    public static func proceduralReplyDue(receivedOn day: CalendarDate) -> CalendarDate {
        day.adding(days: proceduralReplyDays)
    }

    /// The last day for the process or result.
    public static func resultDue(receivedOn day: CalendarDate) -> CalendarDate {
        day.adding(months: resultMonths)
    }

    /// The last day for the next follow-up after one made (or due) on `day`.
    public static func nextFollowUpDue(after day: CalendarDate) -> CalendarDate {
        day.adding(months: followUpMonths)
    }

    /// Whether a deadline whose last day is `due` has been missed on `today`.
    public static func isOverdue(_ due: CalendarDate, today: CalendarDate) -> Bool {
        today > due
    }
}
