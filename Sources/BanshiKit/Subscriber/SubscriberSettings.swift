/// What a service's durable subscription follows, from its `[services.<name>]` section:
/// `follow` (the services whose events it applies) and `receive_hwm`.
public struct SubscriberSettings: Sendable {
    public let sources: [FollowedSource]
    public let receiveHighWaterMark: Int32

    /// Reads `follow` and `receive_hwm`; every followed service must be configured. Without `follow`,
    /// the service follows `defaultFollow`'s configured services, so that a new program needs no edit
    /// to the lists of the services that follow everything.
    public init(_ environment: ServiceEnvironment, defaultFollow: [String] = []) throws(ConfigError) {
        let table = try environment.section.table
        let configured = Set(environment.config.services.map(\.name))
        let names = try table.stringList("follow") ?? defaultFollow.filter(configured.contains)
        var sources: [FollowedSource] = []
        for name in names {
            guard let control = environment.config.services.first(where: { $0.name == name })?.control else {
                throw table.error("follow", "names '\(name)', which has no [services.\(name)] section")
            }
            sources.append(FollowedSource(name: name, control: control))
        }
        self.sources = sources
        receiveHighWaterMark = Int32(try table.int("receive_hwm", default: 100_000, in: 1...10_000_000))
    }
}

extension SuiteConfig {
    /// Every configured service that publishes events of its own, other than `service`: what a
    /// subscriber to the whole suite follows (sections not in `SuiteServices`, test sources, count as
    /// publishers).
    public func publishers(besides service: String) -> [String] {
        services.map(\.name).filter { $0 != service && SuiteServices.member($0)?.publishes ?? true }
    }
}

/// A service whose events a durable subscriber applies, and where to fetch what it missed.
public struct FollowedSource: Sendable, Equatable {
    public let name: String
    public let control: String

    public init(name: String, control: String) {
        self.name = name
        self.control = control
    }
}
