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
    /// How often the service runs `deadlines.scan` on itself; `nil` when the timer is off.
    public var scanInterval: Duration?
    /// Whether the guidelines and the register are imported when the service starts.
    public var importOnStart: Bool

    public init(_ table: ConfigTable) throws(ConfigError) {
        try table.rejectUnknownKeys([
            "control", "guidelines_dir", "procuratorates_file", "aid_wages_file", "default_procuratorate", "scan_interval_ms",
            "import_on_start",
        ])
        guidelinesDirectory = try table.string("guidelines_dir", default: "config/guidelines")
        procuratoratesFile = try table.string("procuratorates_file", default: "config/procuratorates.toml")
        let wages = try table.string("aid_wages_file", default: "config/aid-wages.toml")
        do {
            aidCap = try AidCap(file: wages)
        } catch {
            throw table.error("aid_wages_file", "\(wages): \(error)")
        }
        defaultProcuratorate = try table.string("default_procuratorate", default: "city")
        let interval = try table.int("scan_interval_ms", default: 60_000, in: 0...86_400_000)
        scanInterval = interval == 0 ? nil : .milliseconds(interval)
        importOnStart = try table.bool("import_on_start", default: true)
    }
}
