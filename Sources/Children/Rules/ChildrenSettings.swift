import BanshiKit

/// The children service's own keys in `[services.children]`.
public struct ChildrenSettings: Sendable {
    /// How long a sexual-assault case may wait for early intervention before it is overdue.
    public var interventionDueHours: Int
    /// Hours after its receipt within which a mandatory report is passed on to the police ("at once").
    public var mandatoryReportPassOnHours: Int
    /// The default follow-up deadline of a supervise-guardianship order, in days.
    public var superviseOrderFollowUpDays: Int
    /// Calendar months within which a remedy (a procuratorial suggestion's reply) is followed up.
    public var remedyFollowUpMonths: Int
    /// Days when the remedy is urgent.
    public var remedyUrgentDays: Int
    /// The day supervise-guardianship orders (督促监护令) began nationwide: an order dated earlier is refused.
    public var superviseOrdersSince: CalendarDate

    /// How often the service runs `deadlines.scan` on itself (the kit's key); `nil` when the timer is off.
    public var scanInterval: Duration?

    /// Reads the section; unknown keys are rejected by name.
    public init(_ table: ConfigTable) throws(ConfigError) {
        try ProgramSection.rejectUnknownKeys(table, ownKeys: [
            "intervention_due_hours", "supervise_order_follow_up_days", "remedy_follow_up_months", "remedy_urgent_days",
            "supervise_orders_since", "mandatory_report_pass_on_hours",
        ])
        scanInterval = try ProgramSection.scanInterval(table)
        interventionDueHours = try table.int("intervention_due_hours", default: 24, in: 1...720)
        mandatoryReportPassOnHours = try table.int("mandatory_report_pass_on_hours", default: 24, in: 1...720)
        superviseOrderFollowUpDays = try table.int("supervise_order_follow_up_days", default: 30, in: 1...365)
        remedyFollowUpMonths = try table.int("remedy_follow_up_months", default: 2, in: 1...24)
        remedyUrgentDays = try table.int("remedy_urgent_days", default: 15, in: 1...365)
        let since = try table.string("supervise_orders_since", default: "2021-06-01")
        guard let day = CalendarDate(since) else { throw table.error("supervise_orders_since", "is a day, YYYY-MM-DD, not '\(since)'") }
        superviseOrdersSince = day
    }
}
