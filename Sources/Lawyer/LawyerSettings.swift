import BanshiKit

/// The lawyer service's own keys in `[services.lawyer]`.
public struct LawyerSettings: Sendable {
    /// The working-day calendar the file-review clock counts on.
    public var calendar: WorkCalendar
    /// Working days within which online file review must be arranged (互联网阅卷: at once or within 3).
    public var fileReviewWorkingDays: Int
    /// Days within which a practice-rights complaint must be handled.
    public var complaintHandlingDays: Int
    /// Who an overdue task or milestone is escalated to (盯住不放).
    public var escalateTo: String
    /// Days between two escalations of the same overdue task.
    public var escalationIntervalDays: Int
    /// The regions a cross-region file review may name (沪苏同城, then 浙江, 安徽).
    public var partnerRegions: [String]
    /// How often the service runs `deadlines.scan` on itself (the kit's key); `nil` when the timer is off.
    public var scanInterval: Duration?

    /// Reads the section; unknown keys are rejected by name, and a bad calendar file names the key.
    public init(_ table: ConfigTable) throws(ConfigError) {
        try ProgramSection.rejectUnknownKeys(table, ownKeys: [
            "calendar_file", "file_review_working_days", "complaint_handling_days", "escalate_to", "escalation_interval_days", "partner_regions",
        ])
        scanInterval = try ProgramSection.scanInterval(table)
        let file = try table.string("calendar_file", default: "config/calendar.toml")
        do {
            calendar = try WorkCalendar(file: file)
        } catch {
            throw table.error("calendar_file", "\(file): \(error)")
        }
        fileReviewWorkingDays = try table.int("file_review_working_days", default: 3, in: 0...30)
        complaintHandlingDays = try table.int("complaint_handling_days", default: 7, in: 1...365)
        escalateTo = try table.string("escalate_to", default: "检察长办公室")
        escalationIntervalDays = try table.int("escalation_interval_days", default: 7, in: 1...365)
        let regions = try table.stringList("partner_regions") ?? ["shanghai", "zhejiang", "anhui"]
        guard !regions.isEmpty, regions.allSatisfy(Topic.isValidPart) else {
            throw table.error("partner_regions", "is a list of region names, lower-case letters, digits and '-'")
        }
        partnerRegions = regions
    }
}
