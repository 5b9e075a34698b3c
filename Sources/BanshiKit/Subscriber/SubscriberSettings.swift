/// What a service's durable subscription follows, from its `[services.<name>]` section:
/// `follow` (the services whose events it applies) and `receive_hwm`.
public struct SubscriberSettings: Sendable {
    public let sources: [FollowedSource]
    public let receiveHighWaterMark: Int32

    /// Reads `follow` and `receive_hwm`; every followed service must be configured.
    public init(_ environment: ServiceEnvironment) throws(ConfigError) {
        let table = try environment.section.table
        let names = try table.stringList("follow") ?? []
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

/// A service whose events a durable subscriber applies, and where to fetch what it missed.
public struct FollowedSource: Sendable, Equatable {
    public let name: String
    public let control: String

    public init(name: String, control: String) {
        self.name = name
        self.control = control
    }
}
