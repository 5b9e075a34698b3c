import SQLite
import ServiceLifecycle

/// What every program's `[services.<name>]` section holds besides the program's own keys: `control`,
/// and `scan_interval_ms` for the deadline timer. Read here, once, for every program.
public enum ProgramSection {
    /// The keys every program section may hold.
    public static let keys = ["control", "scan_interval_ms"]

    /// Rejects any key that is neither the kit's nor one of `ownKeys`, naming it.
    public static func rejectUnknownKeys(_ table: ConfigTable, ownKeys: Set<String>) throws(ConfigError) {
        try table.rejectUnknownKeys(ownKeys.union(keys))
    }

    /// `scan_interval_ms` (0 to 86400000, default 60000): how often the program runs `deadlines.scan` on
    /// itself; `nil` when 0 turns the timer off.
    public static func scanInterval(_ table: ConfigTable) throws(ConfigError) -> Duration? {
        let interval = try table.int("scan_interval_ms", default: 60_000, in: 0...86_400_000)
        return interval == 0 ? nil : .milliseconds(interval)
    }
}

extension ServiceDefinition {
    /// A program service: a database, published events checked against `events`, and, when it keeps
    /// deadlines, `deadlines.scan` over them run on itself every `scan_interval_ms` (default 60000;
    /// 0 turns the timer off, for tests that drive the scan with an explicit `now`).
    ///
    /// What every program has is wired here once; `makeParts` builds only what is the program's own.
    public static func program(
        _ name: String, migrations: @escaping @Sendable (inout DatabaseMigrator) -> Void, events: EventCatalog,
        deadlines: [Deadline] = [], scanSummary: String = "emit every deadline missed by `now` and not yet announced",
        makeParts: @escaping @Sendable (ServiceEnvironment) throws -> ServiceParts
    ) -> ServiceDefinition {
        ServiceDefinition(name: name, migrations: migrations, events: events) { environment in
            let parts = try makeParts(environment)
            guard !deadlines.isEmpty else { return parts }
            let section = try environment.section
            var services = parts.services
            if let interval = try ProgramSection.scanInterval(section.table) {
                services.append(CommandTimer(["deadlines.scan"], every: interval, environment: environment, control: section.control))
            }
            return ServiceParts(
                commands: parts.commands + [Deadline.scan(deadlines, summary: scanSummary)], services: services, status: parts.status,
                warnings: parts.warnings, startup: parts.startup)
        }
    }
}
