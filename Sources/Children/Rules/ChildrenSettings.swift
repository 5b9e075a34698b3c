import BanshiKit

/// The children service's own keys in `[services.children]`.
public struct ChildrenSettings: Sendable {
    /// How long a sexual-assault case may wait for early intervention before it is overdue.
    public var interventionDueHours: Int
    /// The default follow-up deadline of a supervise-guardianship order, in days.
    public var superviseOrderFollowUpDays: Int
    /// The default follow-up deadline of a remedy, in days (a procuratorial suggestion's reply is
    /// due within two months).
    public var remedyFollowUpDays: Int

    /// How often the service runs `deadlines.scan` on itself (the kit's key); `nil` when the timer is off.
    public var scanInterval: Duration?

    /// Reads the section; unknown keys are rejected by name.
    public init(_ table: ConfigTable) throws(ConfigError) {
        try ProgramSection.rejectUnknownKeys(table, ownKeys: [
            "intervention_due_hours", "supervise_order_follow_up_days", "remedy_follow_up_days",
        ])
        scanInterval = try ProgramSection.scanInterval(table)
        interventionDueHours = try table.int("intervention_due_hours", default: 24, in: 1...720)
        superviseOrderFollowUpDays = try table.int("supervise_order_follow_up_days", default: 30, in: 1...365)
        remedyFollowUpDays = try table.int("remedy_follow_up_days", default: 60, in: 1...365)
    }
}
