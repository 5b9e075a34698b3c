import Logging

/// The suite's configuration file: where the bus and every service listen, where data lives, and the
/// runtime's tunables. Every service and `banshictl` read the same file; `config/banshi.toml`
/// documents each key.
public struct SuiteConfig: Sendable {
    /// One bus's three endpoints.
    public struct BusEndpoints: Sendable {
        /// `bus` for `[bus]`, `bus-<x>` for `[buses.bus-<x>]`.
        public let name: String
        /// Publishers connect here (the proxy's XSUB side).
        public let publish: String
        /// Subscribers connect here (the proxy's XPUB side).
        public let subscribe: String
        /// The bus's control socket.
        public let control: String
        /// Messages the bus queues per peer before it drops (subscribers heal the loss).
        public let highWaterMark: Int32

        /// Its section's dotted key: `bus`, or `buses.bus-b`.
        public var key: String { name == "bus" ? "bus" : "buses.\(name)" }
    }

    /// One service's section, `[services.<name>]`.
    public struct ServiceSettings: Sendable {
        public let name: String
        public let control: String
        /// The whole section, for keys only that service knows.
        public let table: ConfigTable
    }

    /// Tunables shared by every service, `[runtime]`.
    public struct RuntimeSettings: Sendable {
        public let heartbeatInterval: Duration
        /// Larger requests get `invalid_request`; libzmq drops a connection past 4× this.
        public let maxRequestBytes: Int
        /// How long in-flight work may take to finish after SIGTERM.
        public let shutdownGrace: Duration
        /// How long `banshictl` and services wait for a reply.
        public let requestTimeout: Duration
        /// How long the replies of state-changing commands are kept for idempotency; `nil`: forever.
        public let replyRetentionDays: Int?
        /// Whether a command may carry an explicit `now` (deadline logic in tests and development).
        public let allowNow: Bool
        /// Connections a control socket keeps open at most; 0: as many as the descriptor limit allows
        /// after a reserve for the service's own files (`ConnectionCap`).
        public let maxConnections: Int
        /// Requests received and not yet answered, per connection, in all and in bytes; past these a
        /// request is answered `unavailable` at once (`RequestBudget`).
        public let inFlight: RequestBudget.Limits
    }

    public let file: String
    public let dataDirectory: String
    public let logLevel: Logger.Level
    /// The first bus, `[bus]`.
    public var bus: BusEndpoints { buses[0] }
    /// Every bus, `[bus]` first, then each `[buses.bus-<x>]` by name. Publishers send every event to
    /// all of them and subscribers listen to all, so that losing one loses nothing (the durable
    /// subscriber's seq discards the copies).
    public let buses: [BusEndpoints]
    public let runtime: RuntimeSettings
    /// `[security]`: CURVE on every socket, and where the keys are.
    public let security: SecuritySettings
    /// Every configured service other than the bus, in the suite's canonical order.
    public let services: [ServiceSettings]

    /// The services Banshi is made of, in start order after the bus (`SuiteServices`); sections of
    /// other names (test sources) sort after them.
    public static var canonicalOrder: [String] { SuiteServices.names.filter { $0 != "bus" } }

    /// Reads and checks `file`.
    public static func load(file: String) throws(ConfigError) -> SuiteConfig {
        try SuiteConfig(ConfigTable.load(file: file))
    }

    /// Checks an already-parsed table.
    public init(_ root: ConfigTable) throws(ConfigError) {
        file = root.file
        try root.rejectUnknownKeys(["suite", "bus", "buses", "runtime", "security", "services"])

        let suite = try root.table("suite")
        try suite.rejectUnknownKeys(["data_dir", "log_level"])
        dataDirectory = try suite.string("data_dir", default: "var")
        let level = try suite.choice("log_level", Logger.Level.allCases.map(\.rawValue), default: "info")
        logLevel = Logger.Level(rawValue: level) ?? .info

        let bus = try root.table("bus")
        try bus.rejectUnknownKeys(["publish", "subscribe", "control", "high_water_mark"])
        let highWaterMark = Int32(try bus.int("high_water_mark", default: 100_000, in: 1...10_000_000))
        var buses = [BusEndpoints(
            name: "bus", publish: try bus.endpoint("publish"), subscribe: try bus.endpoint("subscribe"),
            control: try bus.endpoint("control"), highWaterMark: highWaterMark)]
        if root.values["buses"] != nil {
            let more = try root.table("buses")
            for name in more.values.keys.sorted() {
                guard Self.isFurtherBus(name), Topic.isValidPart(name) else {
                    throw more.error(name, "a further bus is named bus-<x> (lower-case letters, digits and '-'), e.g. [buses.bus-b]")
                }
                let table = try more.table(name)
                try table.rejectUnknownKeys(["publish", "subscribe", "control"])
                buses.append(BusEndpoints(
                    name: name, publish: try table.endpoint("publish"), subscribe: try table.endpoint("subscribe"),
                    control: try table.endpoint("control"), highWaterMark: highWaterMark))
            }
        }
        self.buses = buses

        let runtime = try root.table("runtime")
        try runtime.rejectUnknownKeys([
            "heartbeat_interval_ms", "max_request_bytes", "shutdown_grace_ms", "request_timeout_ms", "reply_retention_days", "allow_now",
            "max_connections", "max_in_flight_per_peer", "max_in_flight", "max_in_flight_bytes",
        ])
        let retention = try runtime.int("reply_retention_days", default: 30, in: 0...36_500)
        self.runtime = RuntimeSettings(
            heartbeatInterval: .milliseconds(try runtime.int("heartbeat_interval_ms", default: 1000, in: 10...3_600_000)),
            maxRequestBytes: try runtime.int("max_request_bytes", default: 1 << 20, in: 1024...(256 << 20)),
            shutdownGrace: .milliseconds(try runtime.int("shutdown_grace_ms", default: 5000, in: 0...600_000)),
            requestTimeout: .milliseconds(try runtime.int("request_timeout_ms", default: 3000, in: 10...600_000)),
            replyRetentionDays: retention == 0 ? nil : retention, allowNow: try runtime.bool("allow_now", default: false),
            maxConnections: try runtime.int("max_connections", default: 0, in: 0...1_000_000),
            inFlight: RequestBudget.Limits(
                perPeer: try runtime.int("max_in_flight_per_peer", default: 1000, in: 1...1_000_000),
                total: try runtime.int("max_in_flight", default: 10_000, in: 1...10_000_000),
                bytes: try runtime.int("max_in_flight_bytes", default: 64 << 20, in: (1 << 20)...(16 << 30))))

        let security = try root.table("security")
        try security.rejectUnknownKeys(["curve", "keys_dir"])
        self.security = SecuritySettings(
            curve: try security.bool("curve", default: false), keysDirectory: try security.string("keys_dir", default: "keys"))

        let services = try root.table("services")
        var settings: [ServiceSettings] = []
        for name in services.values.keys {
            guard Topic.isValidPart(name), name != "bus" else {
                throw services.error(name, "a service name is lower-case letters, digits and '-', and not 'bus'")
            }
            guard SuiteServices.member(name) != nil || SuiteServices.testSources.contains(name) else {
                throw services.error(
                    name, "is not a service of the suite (\(SuiteServices.names.filter { $0 != "bus" }.joined(separator: ", "))): a typo?")
            }
            let table = try services.table(name)
            settings.append(ServiceSettings(name: name, control: try table.endpoint("control"), table: table))
        }
        self.services = settings.sorted { lhs, rhs in
            let left = Self.canonicalOrder.firstIndex(of: lhs.name) ?? Int.max
            let right = Self.canonicalOrder.firstIndex(of: rhs.name) ?? Int.max
            return left == right ? lhs.name < rhs.name : left < right
        }
    }

    /// The section of service `name`; an error naming `services.<name>` when it is missing.
    public func service(_ name: String) throws(ConfigError) -> ServiceSettings {
        guard let settings = services.first(where: { $0.name == name }) else {
            throw ConfigError(key: "services.\(name)", "is missing: every service needs a [services.\(name)] section with a control endpoint", file: file)
        }
        return settings
    }

    /// The control endpoint of `name` (every bus included).
    public func controlEndpoint(of name: String) -> String? {
        busNamed(name)?.control ?? services.first(where: { $0.name == name })?.control
    }

    /// Whether `name` is a further bus's (`bus-b`): it runs `banshi-bus --instance NAME` and speaks with
    /// the bus's key.
    public static func isFurtherBus(_ name: String) -> Bool { name.hasPrefix("bus-") }

    /// Every control endpoint, by name: the buses, then the services in start order.
    public var controlEndpoints: [(name: String, endpoint: String)] {
        buses.map { ($0.name, $0.control) } + services.map { ($0.name, $0.control) }
    }

    /// The bus called `name` (`bus`, or a `[buses.bus-<x>]`).
    public func busNamed(_ name: String) -> BusEndpoints? { buses.first { $0.name == name } }

    /// Every bus's publish endpoint, where a service sends its events.
    public var publishEndpoints: [String] { buses.map(\.publish) }

    /// Every bus's subscribe endpoint, where a subscriber listens.
    public var subscribeEndpoints: [String] { buses.map(\.subscribe) }

    /// The state directory of service `name`: `<data_dir>/<name>`.
    public func stateDirectory(of name: String) -> String { Self.stateDirectory(in: dataDirectory, of: name) }

    /// The database of service `name`: `<data_dir>/<name>/<name>.sqlite`.
    public func databasePath(of name: String) -> String { Self.databasePath(in: dataDirectory, of: name) }

    /// The state directory of service `name` under the data directory `dataDirectory`.
    public static func stateDirectory(in dataDirectory: String, of name: String) -> String { Path.join(dataDirectory, name) }

    /// The database of service `name` under the data directory `dataDirectory`.
    public static func databasePath(in dataDirectory: String, of name: String) -> String {
        Path.join(stateDirectory(in: dataDirectory, of: name), "\(name).sqlite")
    }
}
