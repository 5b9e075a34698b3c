import BanshiKit

/// The coordinator's keys in `[services.coordinator]`.
public struct CoordinatorSettings: Sendable {
    public var routesFile: String
    /// The first retry's delay; each further one doubles, up to `retryMax`, each with jitter.
    public var retryBase: Duration
    public var retryMax: Duration
    /// Attempts before a transient failure goes to the dead-letter list.
    public var maxAttempts: Int
    /// Deliveries allowed in one correlation chain: the loop guard.
    public var maxHops: Int

    public init(_ table: ConfigTable) throws(ConfigError) {
        try table.rejectUnknownKeys([
            "control", "follow", "receive_hwm", "routes_file", "retry_base_ms", "retry_max_ms", "max_attempts", "max_hops",
        ])
        routesFile = try table.string("routes_file", default: "config/routes.toml")
        retryBase = .milliseconds(try table.int("retry_base_ms", default: 200, in: 1...600_000))
        retryMax = .milliseconds(try table.int("retry_max_ms", default: 5_000, in: 1...3_600_000))
        guard retryMax >= retryBase else { throw table.error("retry_max_ms", "must not be below retry_base_ms") }
        maxAttempts = try table.int("max_attempts", default: 50, in: 1...100_000)
        maxHops = try table.int("max_hops", default: 8, in: 1...1000)
    }

    /// The delay before attempt `number + 1`, after `number` failed: exponential, capped, then
    /// scaled by a random factor in [0.5, 1] so that retries from many deliveries spread out.
    public func backoff(afterAttempt number: Int, jitter: Double = Double.random(in: 0.5...1)) -> Duration {
        let exponent = min(number - 1, 40)
        let raw = retryBase * (1 << exponent)
        return min(raw, retryMax) * jitter
    }
}
