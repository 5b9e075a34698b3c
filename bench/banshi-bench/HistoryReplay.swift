import BanshiKit
import SQLite

/// What SQLite alone makes of reporting's history: the events a catch-up stored, copied by
/// `INSERT … SELECT` into an empty table of the same schema, 10,000 a transaction, in a database opened
/// as every service opens its own (`ServiceDatabase`: WAL, synchronous=NORMAL, its page cache, the
/// checkpointer on a thread of its own). No Swift runs per event, so this is the most a catch-up could
/// reach with this schema on this machine; the catch-up's rate over it is what the rest of the
/// pipeline (decoding, binding, the indicator facts, the other processes on the same cores) costs.
enum HistoryReplay {
    static let transaction: Int64 = 10_000

    /// The rows copied and how long the copy took; `source` is reporting's database, read while the
    /// service runs.
    static func run(source: String) throws -> (rows: Int64, elapsed: Duration) {
        try Baselines.withReplica(of: source) { db in
            // The history's table and indexes as the service's migrations left them.
            let schema = try String.fetchAll(
                db, sql: "SELECT sql FROM src.sqlite_schema WHERE tbl_name = 'history' AND sql IS NOT NULL ORDER BY type DESC")
            for statement in schema { try db.execute(sql: statement) }
            let last = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(n), 0) FROM src.history") ?? 0
            // Read once before the clock starts, so that the copy does not wait on the disk.
            _ = try Int64.fetchOne(db, sql: "SELECT SUM(length(envelope)) FROM src.history")
            let start = ContinuousClock.now
            var after: Int64 = 0
            while after < last {
                try db.inTransaction {
                    try db.execute(
                        cached: "INSERT INTO main.history SELECT * FROM src.history WHERE n > ? AND n <= ? ORDER BY n",
                        arguments: [after, after + transaction])
                    return .commit
                }
                after += transaction
            }
            let elapsed = ContinuousClock.now - start
            let rows = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM main.history") ?? 0
            return (rows, elapsed)
        }
    }
}
