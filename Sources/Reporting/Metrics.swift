import BanshiKit
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Prometheus text-format metrics: events kept per source, the subscription's lag per source, and
/// every indicator's value and target for the current year.
enum Metrics {
    static func render(_ db: Database, subscriptions: JSONValue, targets: Targets, now: Date) throws -> String {
        var lines: [String] = []
        func family(_ name: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
        }
        let sources = try History.sources(db)
        family("banshi_history_events", "Events kept in the reporting history, per source.")
        for source in sources { lines.append("banshi_history_events{source=\"\(label(source.source))\"} \(source.events)") }
        family("banshi_history_last_seq", "The last seq of each source in the history.")
        for source in sources { lines.append("banshi_history_last_seq{source=\"\(label(source.source))\"} \(source.lastSeq)") }
        family("banshi_subscriber_lag", "Events a source has logged that reporting has not applied yet.")
        for (source, state) in (subscriptions.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("banshi_subscriber_lag{source=\"\(label(source))\"} \(state["lag"]?.intValue ?? 0)")
        }
        family(
            "banshi_subscriber_integrity_alarms",
            "Seq collisions seen per source (an event under a seq already applied with another id): alert on any rise.")
        for (source, state) in (subscriptions.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("banshi_subscriber_integrity_alarms{source=\"\(label(source))\"} \(state["integrity_alarms"]?.intValue ?? 0)")
        }
        let year = CalendarDate(now).year
        family("banshi_indicator_value", "Each indicator's value this year (a fraction for rates, a number for counts).")
        for indicator in ProgramIndicators.all {
            let (counted, met) = try FactStore.value(db, indicator, from: year, to: year)
            let value = indicator.kind == .rate ? (counted == 0 ? Double.nan : Double(met) / Double(counted)) : Double(counted)
            lines.append("banshi_indicator_value{indicator=\"\(indicator.id)\",program=\"\(indicator.program)\",year=\"\(year)\"} \(number(value))")
        }
        family("banshi_indicator_target", "Each indicator's target (config/targets.toml).")
        for indicator in ProgramIndicators.all {
            lines.append("banshi_indicator_target{indicator=\"\(indicator.id)\",program=\"\(indicator.program)\"} \(number(targets.values[indicator.id] ?? 0))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A label value with `\`, `"` and newlines escaped as the text format requires.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
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
                try Row.fetchOne(db, sql: "SELECT 1 FROM rebuild_state WHERE id = 1 AND finished_at IS NULL") != nil
            }) ?? false
            if active {
                await caller.send(["rebuild.step"], logLevel: .debug)
            } else {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(200)) }
            }
        }
    }
}
