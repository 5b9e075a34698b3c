import BanshiKit
import SQLite
import Logging
import ServiceLifecycle

/// Prometheus text-format metrics, named as Prometheus asks (`_total` for counters, `_seconds`,
/// `_ratio`), a value and its target under the same labels:
///
/// - per service, from its `status` (`ServiceProbe`): `banshi_up`, `banshi_warnings`, `banshi_commands_total` by command
///   and outcome, the `banshi_command_duration_seconds` histogram, `banshi_events_appended_total`,
///   `banshi_last_seq`, `banshi_subscriber_lag` and `banshi_subscriber_integrity_alarms_total` per
///   source, and the coordinator's `banshi_coordinator_deliveries_pending` and
///   `banshi_coordinator_dead_letters`;
/// - from the history: `banshi_history_events_total` and `banshi_history_last_seq` per source;
/// - every indicator this year: `banshi_indicator_ratio` / `banshi_indicator_target_ratio` for rates,
///   `banshi_indicator_entities` / `banshi_indicator_target_entities` for counts (`_count` is the
///   histograms' suffix).
enum Metrics {
    /// The families in order, each with its HELP and TYPE once.
    private struct Text {
        var lines: [String] = []

        mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [String]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            lines += samples
        }
    }

    static func render(
        _ db: Database, services: [(name: String, status: JSONValue?)], history sources: [(source: String, events: Int64, lastSeq: Int64)],
        targets: Targets, now: Timestamp
    ) throws -> String {
        var text = Text()
        func sample(_ name: String, _ labels: [(String, String)], _ value: String) -> String {
            guard !labels.isEmpty else { return "\(name) \(value)" }
            return "\(name){\(labels.map { "\($0.0)=\"\(label($0.1))\"" }.joined(separator: ","))} \(value)"
        }
        let up = services.compactMap { name, status in status.map { (name, $0) } }
        text.family("banshi_up", "gauge", "Whether the service answered status (1) or not (0).",
            services.map { sample("banshi_up", [("service", $0.name)], $0.status == nil ? "0" : "1") })
        text.family("banshi_warnings", "gauge", "Data the service needs extended before a day comes (next year's calendar, say); its status and log say what.",
            up.map { sample("banshi_warnings", [("service", $0.0)], "\($0.1["warnings"]?.arrayValue?.count ?? 0)") })
        text.family("banshi_commands_total", "counter", "Commands answered, by command and outcome (ok or the error code); - is a name the service does not have.",
            up.flatMap { service, status in
                (status["commands"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.flatMap { command, outcomes in
                    (outcomes.objectValue ?? [:]).sorted { $0.key < $1.key }.map { outcome, count in
                        sample("banshi_commands_total", [("service", service), ("command", command), ("outcome", outcome)], "\(count.intValue ?? 0)")
                    }
                }
            })
        text.family("banshi_command_duration_seconds", "histogram", "Time from a request batch's arrival to the reply.",
            up.flatMap { service, status -> [String] in
                guard let histogram = status["command_seconds"] else { return [] }
                let buckets = histogram["buckets"]?.objectValue ?? [:]
                let sorted = buckets.compactMap { key, value in Double(key).map { ($0, key, value.intValue ?? 0) } }.sorted { $0.0 < $1.0 }
                let count = histogram["count"]?.intValue ?? 0
                return sorted.map { sample("banshi_command_duration_seconds_bucket", [("service", service), ("le", $0.1)], "\($0.2)") }
                    + [
                        sample("banshi_command_duration_seconds_bucket", [("service", service), ("le", "+Inf")], "\(count)"),
                        sample("banshi_command_duration_seconds_sum", [("service", service)], number(histogram["sum"]?.doubleValue ?? 0)),
                        sample("banshi_command_duration_seconds_count", [("service", service)], "\(count)"),
                    ]
            })
        let publishing = up.filter { $0.1["last_seq"] != nil && $0.0 != "bus" && !SuiteConfig.isFurtherBus($0.0) }
        text.family("banshi_events_appended_total", "counter", "Events the service has appended to its log.",
            publishing.map { sample("banshi_events_appended_total", [("service", $0.0)], "\($0.1["last_seq"]?.intValue ?? 0)") })
        text.family("banshi_last_seq", "gauge", "The last seq of the service's event log.",
            publishing.map { sample("banshi_last_seq", [("service", $0.0)], "\($0.1["last_seq"]?.intValue ?? 0)") })
        let subscriptions = up.flatMap { service, status in
            (status["subscriptions"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { (service, $0.key, $0.value) }
        }
        text.family("banshi_subscriber_lag", "gauge", "Events a source has logged that the subscribing service has not applied yet.",
            subscriptions.map { sample("banshi_subscriber_lag", [("service", $0.0), ("source", $0.1)], "\($0.2["lag"]?.intValue ?? 0)") })
        text.family("banshi_subscriber_integrity_alarms_total", "counter",
            "Seq collisions seen per source (an event under a seq already applied with another id): alert on any rise.",
            subscriptions.map { sample("banshi_subscriber_integrity_alarms_total", [("service", $0.0), ("source", $0.1)], "\($0.2["integrity_alarms"]?.intValue ?? 0)") })
        let deliveries = up.first { $0.0 == "coordinator" }?.1["deliveries"]
        text.family("banshi_coordinator_deliveries_pending", "gauge", "Routed commands waiting to be delivered (retried with back-off).",
            deliveries.map { [sample("banshi_coordinator_deliveries_pending", [], "\($0["pending"]?.intValue ?? 0)")] } ?? [])
        text.family("banshi_coordinator_dead_letters", "gauge", "Routed commands that failed for good (banshictl dlq list).",
            deliveries.map { [sample("banshi_coordinator_dead_letters", [], "\($0["dead"]?.intValue ?? 0)")] } ?? [])

        text.family("banshi_history_events_total", "counter", "Events kept in the reporting history, per source.",
            sources.map { sample("banshi_history_events_total", [("source", $0.source)], "\($0.events)") })
        text.family("banshi_history_last_seq", "gauge", "The last seq of each source in the history.",
            sources.map { sample("banshi_history_last_seq", [("source", $0.source)], "\($0.lastSeq)") })

        let year = CalendarDate(now).year
        let (january, december) = (CalendarDate(year: year, month: 1, day: 1)!, CalendarDate(year: year, month: 12, day: 31)!)
        var values: [Indicator.Kind: [String]] = [:]
        var goals: [Indicator.Kind: [String]] = [:]
        for indicator in ProgramIndicators.all {
            let (counted, met, _) = try FactStore.value(db, indicator, from: january, to: december)
            let rate = indicator.kind == .rate
            let value = rate ? (counted == 0 ? Double.nan : Double(met) / Double(counted)) : Double(counted)
            let labels = [("program", indicator.program), ("indicator", indicator.id)]
            let suffix = rate ? "ratio" : "entities"
            values[indicator.kind, default: []].append(sample("banshi_indicator_\(suffix)", labels, number(value)))
            goals[indicator.kind, default: []].append(sample("banshi_indicator_target_\(suffix)", labels, number(targets.values[indicator.id] ?? 0)))
        }
        text.family("banshi_indicator_ratio", "gauge", "Each rate indicator this year, 0 to 1 (NaN: nothing counted yet).", values[.rate] ?? [])
        text.family("banshi_indicator_target_ratio", "gauge", "Each rate indicator's target (config/targets.toml).", goals[.rate] ?? [])
        text.family("banshi_indicator_entities", "gauge", "Each count indicator this year: the entities counted (centres opened, cases taken up).", values[.count] ?? [])
        text.family("banshi_indicator_target_entities", "gauge", "Each count indicator's target (config/targets.toml).", goals[.count] ?? [])
        return text.lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A label value with `\`, `"` and newlines escaped as the text format requires.
    static func label(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}

/// Writes the metrics to a file at an interval for node_exporter's textfile collector: to a temporary
/// file first, then renamed, so the collector never reads half a file.
struct MetricsWriter: Service {
    let file: String
    let interval: Duration
    let render: @Sendable () async throws -> String
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            await write()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        // The figures as they stand at shutdown, not as they stood an interval ago.
        await write()
    }

    private func write() async {
        do {
            try AtomicFile.write(try await render(), to: file, mode: 0o644)
        } catch {
            logger.warning("writing metrics failed", metadata: ["file": "\(file)", "error": "\(error)"])
        }
    }
}

/// Drives a rebuild: while one is unfinished, sends `rebuild.step` to the service itself.
struct RebuildDriver: Service {
    let database: ServiceDatabase
    let caller: SelfCaller

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let active = (try? await database.writer.read { db in
                try Row.fetchOne(db, cached: "SELECT 1 FROM rebuild_state WHERE id = 1 AND finished_at IS NULL") != nil
            }) ?? false
            if active {
                await caller.send(["rebuild.step"], logLevel: .debug)
            } else {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(200)) }
            }
        }
    }
}
