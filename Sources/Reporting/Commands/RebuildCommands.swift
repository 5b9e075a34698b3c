import BanshiKit
import SQLite

/// `rebuild`: re-derives every indicator from the stored history, a chunk per step.
///
/// The facts are cleared, then the history is replayed in order, `chunk` events per `rebuild.step`
/// (sent by the service to itself, so a long rebuild never holds the write lock for long). Live
/// events keep arriving meanwhile; applying a fact twice changes nothing, so they interleave safely.
enum RebuildCommands {
    static let chunk = 2000

    static let all = [start, step, status]

    static let start = CommandSpec("rebuild", "clear the indicator facts and re-derive them from the whole history (progress: rebuild.status)") { context, events in
        let db = events.db
        let total = try Int64.fetchOne(db, cached: "SELECT COUNT(*) FROM history") ?? 0
        try db.execute(cached: "DELETE FROM indicator_fact")
        try db.execute(
            cached: """
                INSERT INTO rebuild_state (id, started_at, finished_at, total, done, last_n) VALUES (1, ?, NULL, ?, 0, 0)
                ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, total = excluded.total, done = 0, last_n = 0
                """,
            arguments: [Timestamp.format(context.now), total])
        return ["total": .int(total), "done": 0, "finished": false]
    }

    static let step = CommandSpec("rebuild.step", "replay the next chunk of history into the indicator facts (sent by the service itself)") { context, events in
        let db = events.db
        guard let state = try Row.fetchOne(db, cached: "SELECT * FROM rebuild_state WHERE id = 1 AND finished_at IS NULL") else {
            return ["active": false]
        }
        let rows = try Row.fetchAll(db, cached: "SELECT n, envelope FROM history WHERE n > ? ORDER BY n LIMIT ?", arguments: [state["last_n"] as Int64, chunk])
        var facts = try FactStore.Writer(db)
        for row in rows { try facts.apply(db, try EventEnvelope.decode(Array((row["envelope"] as String).utf8))) }
        let done = (state["done"] as Int64) + Int64(rows.count)
        let finished = rows.count < chunk
        try db.execute(
            cached: "UPDATE rebuild_state SET done = ?, last_n = ?, total = max(total, ?), finished_at = ? WHERE id = 1",
            arguments: [done, rows.last?["n"] ?? state["last_n"] as Int64, done, finished ? Timestamp.format(context.now) : nil])
        return ["active": .bool(!finished), "done": .int(done)]
    }

    static let status = CommandSpec("rebuild.status", "how far the last rebuild got") { context in
        try await context.read { db in
            guard let row = try Row.fetchOne(db, cached: "SELECT * FROM rebuild_state WHERE id = 1") else { return ["started": false] }
            guard case .object(var state) = row.jsonObject() else { return .null }
            state["started"] = true
            state["finished"] = .bool(state["finished_at"] != .null)
            return .object(state)
        }
    }
}
