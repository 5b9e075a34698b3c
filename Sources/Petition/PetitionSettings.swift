import BanshiKit

/// The petition service's own keys in `[services.petition]`.
public struct PetitionSettings: Sendable {
    /// The directory `guidelines.import` reads by default (and at start).
    public var guidelinesDirectory: String
    /// The register of procuratorates `procuratorates.import` reads by default (and at start).
    public var procuratoratesFile: String
    /// The average monthly wages that cap judicial aid.
    public var aidCap: AidCap
    /// The procuratorate that handles ex-officio aid opened by another service when none is named.
    public var defaultProcuratorate: String
    /// Whether the guidelines and the register are imported when the service starts.
    public var importOnStart: Bool

    /// How often the service runs `deadlines.scan` on itself (the kit's key); `nil` when the timer is off.
    public var scanInterval: Duration?

    public init(_ table: ConfigTable) throws(ConfigError) {
        try ProgramSection.rejectUnknownKeys(table, ownKeys: [
            "guidelines_dir", "procuratorates_file", "aid_wages_file", "default_procuratorate",
            "import_on_start",
        ])
        scanInterval = try ProgramSection.scanInterval(table)
        guidelinesDirectory = try table.string("guidelines_dir", default: "config/guidelines")
        guard FileSystem.isDirectory(guidelinesDirectory) else {
            throw table.error("guidelines_dir", "'\(guidelinesDirectory)' is not a directory of guidelines")
        }
        procuratoratesFile = try table.string("procuratorates_file", default: "config/procuratorates.toml")
        let wages = try table.string("aid_wages_file", default: "config/aid-wages.toml")
        do {
            aidCap = try AidCap(file: wages)
        } catch {
            throw table.error("aid_wages_file", "\(wages): \(error)")
        }
        defaultProcuratorate = try table.string("default_procuratorate", default: "city")
        importOnStart = try table.bool("import_on_start", default: true)
    }
}
