import BanshiKit

/// The enterprise service's own keys in `[services.enterprise]`.
public struct EnterpriseSettings: Sendable {
    /// Days an opinion card may wait for its answer (逐一解答).
    public var cardAnswerDays: Int
    /// The five categories of opinion cards (企业意见采集卡), as the programme's list names them.
    public var cardCategories: [String]
    /// Days between legal health checks (法治体检), unless an enterprise has its own interval.
    public var healthCheckIntervalDays: Int
    /// Days within which a risk flag raised by another service brings the enterprise's next health check.
    public var flagCheckDays: Int
    /// How often the service runs `deadlines.scan` on itself (the kit's key); `nil` when the timer is off.
    public var scanInterval: Duration?

    public static let defaultCategories = ["case-handling", "legal-services", "compliance", "business-environment", "other"]

    /// Reads the section; unknown keys are rejected by name.
    public init(_ table: ConfigTable) throws(ConfigError) {
        try ProgramSection.rejectUnknownKeys(
            table, ownKeys: ["card_answer_days", "card_categories", "health_check_interval_days", "flag_check_days"])
        scanInterval = try ProgramSection.scanInterval(table)
        cardAnswerDays = try table.int("card_answer_days", default: 15, in: 1...365)
        let categories = try table.stringList("card_categories") ?? Self.defaultCategories
        guard categories.count == 5, Set(categories).count == 5, categories.allSatisfy(Topic.isValidPart) else {
            throw table.error("card_categories", "is five different categories, each lower-case letters, digits and '-'")
        }
        cardCategories = categories
        healthCheckIntervalDays = try table.int("health_check_interval_days", default: 180, in: 1...3650)
        flagCheckDays = try table.int("flag_check_days", default: 30, in: 0...365)
    }
}
