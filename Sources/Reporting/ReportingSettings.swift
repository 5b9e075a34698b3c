import BanshiKit

/// The reporting service's keys in `[services.reporting]`.
public struct ReportingSettings: Sendable {
    public var targets: Targets
    /// Where the Prometheus metrics are written (node_exporter's textfile-collector convention);
    /// `nil` when off.
    public var metricsFile: String?
    public var metricsInterval: Duration

    public init(_ table: ConfigTable, dataDirectory: String) throws(ConfigError) {
        try table.rejectUnknownKeys(["control", "follow", "receive_hwm", "targets_file", "metrics_file", "metrics_interval_ms"])
        let file = try table.string("targets_file", default: "config/targets.toml")
        do {
            targets = try Targets(file: file, indicators: ProgramIndicators.all)
        } catch {
            throw table.error("targets_file", "\(error)")
        }
        let metrics = try table.string("metrics_file", default: Path.join(dataDirectory, "banshi.prom"))
        metricsFile = metrics.isEmpty ? nil : metrics
        metricsInterval = .milliseconds(try table.int("metrics_interval_ms", default: 15_000, in: 100...3_600_000))
    }
}
