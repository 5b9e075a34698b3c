import BanshiKit

/// The public-interest service's own keys in `[services.public-interest]`.
public struct PublicInterestSettings: Sendable {
    /// Every standard in force, by version and effective day.
    public var standards: Standards
    /// Where evidence files are kept; registered paths are relative to it.
    public var evidenceDirectory: String
    /// Calendar months an agency has to answer a pre-litigation procuratorial suggestion.
    public var suggestionReplyMonths: Int
    /// Days when the suggestion is urgent.
    public var urgentReplyDays: Int
    /// Days of the public announcement before a civil public-interest suit.
    public var announcementDays: Int
    /// How often the service runs `deadlines.scan` on itself (the kit's key); `nil` when the timer is off.
    public var scanInterval: Duration?

    /// Reads the section; a bad standards file names the file and its key, a bad value the section's key.
    public init(_ table: ConfigTable, dataDirectory: String) throws(ConfigError) {
        try ProgramSection.rejectUnknownKeys(
            table, ownKeys: ["standards_dir", "evidence_dir", "suggestion_reply_months", "urgent_reply_days", "announcement_days"])
        scanInterval = try ProgramSection.scanInterval(table)
        let directory = try table.string("standards_dir", default: "config/standards")
        do {
            standards = try Standards.load(directory: directory)
        } catch {
            throw table.error("standards_dir", "\(error)")
        }
        evidenceDirectory = try table.string("evidence_dir", default: Path.join(dataDirectory, "evidence"))
        suggestionReplyMonths = try table.int("suggestion_reply_months", default: 2, in: 1...24)
        urgentReplyDays = try table.int("urgent_reply_days", default: 15, in: 1...365)
        announcementDays = try table.int("announcement_days", default: 30, in: 1...365)
    }
}
