import SQLite
import Logging
import ServiceLifecycle
import ZeroMQ

/// What a service is made of, for `ServiceRuntime` to run: its name, whether it keeps a database and
/// publishes events, its migrations, and the parts it builds once the runtime is up.
public struct ServiceDefinition: Sendable {
    public let name: String
    public let publishesEvents: Bool
    public let usesDatabase: Bool
    public let migrations: @Sendable (inout DatabaseMigrator) -> Void
    /// The page size its database file is made with; nil keeps SQLite's 4 KiB (`ServiceDatabase`).
    public let pageSize: Int?
    /// The events the service publishes; when given, every event is checked against it before it is logged.
    public let events: EventCatalog?
    public let makeParts: @Sendable (ServiceEnvironment) throws -> ServiceParts

    public init(
        name: String, publishesEvents: Bool = true, usesDatabase: Bool = true,
        migrations: @escaping @Sendable (inout DatabaseMigrator) -> Void = { _ in }, pageSize: Int? = nil,
        events: EventCatalog? = nil,
        makeParts: @escaping @Sendable (ServiceEnvironment) throws -> ServiceParts
    ) {
        self.name = name
        self.events = events
        self.publishesEvents = publishesEvents
        self.usesDatabase = usesDatabase
        self.migrations = migrations
        self.pageSize = pageSize
        self.makeParts = makeParts
    }
}

/// What the runtime hands a service when it builds its parts.
public struct ServiceEnvironment: Sendable {
    public let name: String
    public let config: SuiteConfig
    /// The service's `[services.<name>]` section (`nil` for the bus).
    public let settings: SuiteConfig.ServiceSettings?
    public let database: ServiceDatabase?
    public let context: Context
    public let logger: Logger
    /// The allow-list, when CURVE is on.
    public let keys: KeyRingStore?
    /// For a bus process, which bus of the config it is (`[bus]` otherwise).
    public let bus: SuiteConfig.BusEndpoints

    /// The service's `[services.<name>]` section, or the error that names it as missing.
    public var section: SuiteConfig.ServiceSettings {
        get throws(ConfigError) {
            if let settings { return settings }
            return try config.service(name)
        }
    }

    /// The service's database, for a service whose parts cannot work without it.
    public var requiredDatabase: ServiceDatabase {
        get throws(CommandError) {
            guard let database else { throw CommandError(.internal, "\(name) is defined without a database but needs one") }
            return database
        }
    }
}

/// A service's own commands, its extra long-running work, and what it adds to `status`.
public struct ServiceParts: Sendable {
    public let commands: [CommandSpec]
    public let services: [any Service]
    public let status: @Sendable () async -> [String: JSONValue]
    /// Runs before the service reports ready (binding its own sockets, say); a throw stops start-up.
    public let startup: @Sendable () async throws -> Void
    /// What an operator must act on before a day comes (next year's calendar, say): each check gives
    /// the warning for a day, or `nil`. The runtime logs each at start and daily (`DailyWarning`), and
    /// `status` lists today's as `warnings`, which `banshictl status` prints.
    public let warnings: [@Sendable (CalendarDate) -> String?]

    public init(
        commands: [CommandSpec] = [], services: [any Service] = [],
        status: @escaping @Sendable () async -> [String: JSONValue] = { [:] },
        warnings: [@Sendable (CalendarDate) -> String?] = [],
        startup: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.commands = commands
        self.services = services
        self.status = status
        self.warnings = warnings
        self.startup = startup
    }

    /// The warnings for `day`, in order.
    func warnings(on day: CalendarDate) -> [String] {
        warnings.compactMap { $0(day) }
    }
}
