import BanshiKit
import Foundation
import GRDB

/// The event history: appended by the durable subscriber, read by queries, traces and reports.
enum History {
    /// Stores `event` and applies its indicator facts, in the subscriber's transaction.
    static func append(_ db: Database, _ event: EventEnvelope) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO history (source, seq, id, type, subject, time, correlation_id, causation_id, envelope)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            event.service ?? event.source, event.seq, event.id, event.type, event.subject, event.time, event.correlationid,
            event.causationid, event.serialized(),
        ])
        try FactStore.apply(db, event)
    }

    /// Events matching every filter given, in time order (then source, seq).
    static func query(
        _ db: Database, source: String?, typePrefix: String?, subject: String?, correlation: String?, from: String?, to: String?,
        limit: Int
    ) throws -> [JSONValue] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT n, source, seq, type, subject, time, correlation_id, causation_id, json_extract(envelope, '$.data') AS data
                FROM history
                WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR substr(type, 1, length(?2)) = ?2) AND (?3 IS NULL OR subject = ?3)
                  AND (?4 IS NULL OR correlation_id = ?4) AND (?5 IS NULL OR time >= ?5) AND (?6 IS NULL OR time < ?6)
                ORDER BY time, source, seq LIMIT ?7
                """,
            arguments: [source, typePrefix, subject, correlation, from, to, limit]
        ).map(entry)
    }

    /// One history row as JSON, `data` parsed.
    static func entry(_ row: Row) -> JSONValue {
        guard case .object(var object) = row.jsonObject() else { return .null }
        if let text = object["data"]?.stringValue { object["data"] = (try? JSONValue.parse(Array(text.utf8))) ?? .null }
        return .object(object)
    }

    /// How many events each source has in the history, and its last seq.
    static func sources(_ db: Database) throws -> [(source: String, events: Int64, lastSeq: Int64)] {
        try Row.fetchAll(db, sql: "SELECT source, COUNT(*) AS events, MAX(seq) AS last FROM history GROUP BY source ORDER BY source")
            .map { ($0["source"], $0["events"], $0["last"]) }
    }
}
