import BanshiKit
import SQLite
import ServiceLifecycle

/// `banshi-reporting`: the whole event history, every program against its targets, flows traced.
public enum ReportingService {
    public static let definition = ServiceDefinition(
        name: "reporting", publishesEvents: false, migrations: ReportingSchema.register, pageSize: ReportingSchema.pageSize
    ) { environment in
        let section = try environment.section
        let database = try environment.requiredDatabase
        let settings = try ReportingSettings(section.table, dataDirectory: environment.config.stateDirectory(of: "reporting"))
        let subscription = try SubscriberSettings(environment, defaultFollow: environment.config.publishers(besides: "reporting"))
        let counts = try database.writer.read { try HistoryCounts($0) }
        let subscriber = DurableSubscriber(
            context: environment.context, busEndpoints: environment.config.subscribeEndpoints, sources: subscription.sources,
            database: database, requestTimeout: environment.config.runtime.requestTimeout,
            receiveHighWaterMark: subscription.receiveHighWaterMark, logger: environment.logger,
            committed: { events in counts.add(events) },
            replace: { db, forged, genuine in
                // The history keeps the source's copy. The indicator facts the forgery added stay
                // until `banshictl rebuild` derives them again from the history.
                // The forgery took the genuine event's place in the source's log: (source, seq).
                try db.execute(
                    cached: "DELETE FROM history WHERE source = ? AND seq = ? AND id = ?",
                    arguments: [genuine.source, genuine.envelope.seq, forged])
                let removed = Int64(db.changesCount)
                try History.append(db, [genuine])
                counts.replaced(source: genuine.source, removed: removed)
            }
        ) { db, events in
            try History.append(db, events)
        }
        let targets = settings.targets
        let probe = ServiceProbe(context: environment.context, config: environment.config, timeout: .milliseconds(500))
        /// Reporting's own part of the figures (it does not call its own control socket).
        let own: @Sendable () async -> JSONValue = {
            ["subscriptions": subscriber.statusValue()]
        }
        let render: @Sendable (Timestamp) async throws -> String = { now in
            let services = await probe.statuses(own: await own())
            return try await database.writer.read { db in try Metrics.render(db, services: services, history: counts.bySource, targets: targets, now: now) }
        }
        let metrics = CommandSpec("metrics", "the Prometheus text-format metrics (also written to metrics_file)") { context in
            ["content": .string(try await render(context.now))]
        }.runningAside()
        var services: [any Service] = [
            DurableSubscriberService(subscriber),
            RebuildDriver(database: database, caller: SelfCaller(environment: environment, control: section.control)),
        ]
        if let file = settings.metricsFile {
            services.append(MetricsWriter(file: file, interval: settings.metricsInterval, render: { try await render(Timestamp()) }, logger: environment.logger))
        }
        return ServiceParts(
            commands: HistoryCommands.all + [ReportCommands.make(settings), metrics] + RebuildCommands.all,
            services: services,
            status: {
                var status: [String: JSONValue] = ["subscriptions": subscriber.statusValue()]
                status["history_events"] = .int(counts.total)
                return status
            })
    }
}
