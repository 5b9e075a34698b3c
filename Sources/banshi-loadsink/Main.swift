import BanshiKit
import Foundation
import SQLite

/// `banshi-loadsink --config PATH`: a durable subscriber whose only effect is recording what it applied.
///
/// Each applied event becomes one row, with no uniqueness constraint, so that a duplicate would show
/// as a second row: `applied.summary` is how tests and benchmarks prove "every event, exactly once".
/// Its section is `[services.loadsink]` with `follow = [...]` and optionally `receive_hwm`.
@main
struct LoadsinkMain {
    static let definition = ServiceDefinition(
        name: "loadsink", publishesEvents: false,
        migrations: { migrator in
            migrator.registerMigration("loadsink-applied-v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE applied_event (
                            n INTEGER PRIMARY KEY,
                            source TEXT NOT NULL,
                            seq INTEGER NOT NULL,
                            event_id TEXT NOT NULL,
                            causation_id TEXT,
                            event_time TEXT NOT NULL,
                            applied_at TEXT NOT NULL
                        ) STRICT
                        """)
            }
        }
    ) { environment in
        let settings = try SubscriberSettings(environment)
        let database = try environment.requiredDatabase
        let latency = LatencyRecorder()
        let clock = MillisecondClock()
        let subscriber = DurableSubscriber(
            context: environment.context, busEndpoints: environment.config.subscribeEndpoints, sources: settings.sources,
            database: database, requestTimeout: environment.config.runtime.requestTimeout,
            receiveHighWaterMark: settings.receiveHighWaterMark, logger: environment.logger,
            committed: { latency.record($0) },
            replace: { db, forged, genuine in
                try db.execute(
                    sql: "UPDATE applied_event SET event_id = ?, causation_id = ?, event_time = ? WHERE event_id = ?",
                    arguments: [genuine.envelope.id, genuine.envelope.causationid, genuine.envelope.time, forged])
            }
        ) { db, events in
            latency.applying()
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO applied_event (source, seq, event_id, causation_id, event_time, applied_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for received in events {
                let event = received.envelope
                try db.executeBound(insert, [
                    .text(received.source), .int(event.seq), .text(event.id), .optional(event.causationid),
                    .text(event.time), .text(clock.now()),
                ])
            }
        }
        return ServiceParts(
            commands: [summary(database), ids(database)] + latency.commands,
            services: [DurableSubscriberService(subscriber)],
            status: { ["subscriptions": subscriber.statusValue()] })
    }

    static func summary(_ database: ServiceDatabase) -> CommandSpec {
        CommandSpec("applied.summary", "how many events were applied, how many distinct, per source") { _ in
            try await database.writer.read { db in
                let totals = try Row.fetchOne(db, sql: "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM applied_event")!
                var sources: [String: JSONValue] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT source, COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq)
                        FROM applied_event GROUP BY source
                        """)
                {
                    sources[row[0]] = [
                        "count": .int(row[1]), "distinct_seqs": .int(row[2]), "min_seq": .int(row[3]), "max_seq": .int(row[4]),
                    ]
                }
                let count: Int64 = totals[0]
                let distinct: Int64 = totals[1]
                return ["count": .int(count), "distinct_ids": .int(distinct), "duplicates": .int(count - distinct), "sources": .object(sources)]
            }
        }
    }

    static func ids(_ database: ServiceDatabase) -> CommandSpec {
        CommandSpec(
            "applied.list", "applied events in the order they were applied, a page at a time",
            arguments: [
                ArgumentSpec("after", .integer, "list rows after this row number (default 0)"),
                ArgumentSpec("limit", .integer, "the page size, 1 to 10000 (default 1000)"),
            ]
        ) { context in
            let after = try context.arguments.int("after", default: 0, in: 0...Int64.max)
            let limit = try context.arguments.int("limit", default: 1000, in: 1...10_000)
            return try await database.writer.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT n, source, seq, event_id, causation_id FROM applied_event WHERE n > ? ORDER BY n LIMIT ?",
                    arguments: [after, limit])
                return [
                    "applied": .array(rows.map { row in
                        [
                            "n": .int(row[0]), "source": .string(row[1]), "seq": .int(row[2]), "id": .string(row[3]),
                            "causationid": (row[4] as String?).map(JSONValue.string) ?? .null,
                        ]
                    })
                ]
            }
        }
    }

    static func main() async {
        exit(await ServiceRuntime.main(definition))
    }
}
