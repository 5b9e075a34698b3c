import BanshiKit
import Foundation
import GRDB

/// Indicator facts: written as events arrive (and again by a rebuild), read to compute values.
enum FactStore {
    /// Applies the facts each of `events` establishes for every indicator that reads its type, in order.
    static func apply(
        _ db: Database, _ events: UnsafeBufferPointer<EventEnvelope>, indicators: [String: [Indicator]] = ProgramIndicators.byType
    ) throws {
        // Looked up once: finding a cached statement hashes its whole SQL text.
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO indicator_fact (indicator, period, entity, counted, met, settled) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (indicator, period, entity) DO UPDATE SET
                    counted = max(counted, excluded.counted), met = max(met, excluded.met), settled = max(settled, excluded.settled)
                """)
        for index in events.indices {
            guard let readers = indicators[events[index].type] else { continue }
            for indicator in readers {
                for fact in indicator.facts(events[index]) {
                    try db.executeBound(upsert, [
                        .text(indicator.id), .text(fact.period), .text(fact.entity), .int(fact.counted ? 1 : 0), .int(fact.met ? 1 : 0),
                        .int(fact.settled ? 1 : 0),
                    ])
                }
            }
        }
    }

    /// The same for an array of events.
    static func apply(_ db: Database, _ events: [EventEnvelope]) throws {
        try events.withUnsafeBufferPointer { try apply(db, $0) }
    }

    /// An indicator's value over the days `from...to` (China Standard Time): (counted, met) for a rate,
    /// with `pending` the entities counted whose outcome is still open (left out of both); (counted,
    /// counted, 0) for a count.
    static func value(
        _ db: Database, _ indicator: Indicator, from: CalendarDate, to: CalendarDate
    ) throws -> (counted: Int64, met: Int64, pending: Int64) {
        let low = from.description
        let high = to.description
        switch indicator.kind {
        case .count:
            let row = try Row.fetchOne(
                db,
                cached: """
                    SELECT COUNT(DISTINCT entity) FROM indicator_fact
                    WHERE indicator = ? AND counted = 1 AND (period = '*' OR (period <= ? AND (? OR period >= ?)))
                    """,
                arguments: [indicator.id, high, indicator.cumulative, low])!
            let count: Int64 = row[0]
            return (count, count, 0)
        case .rate:
            let row = try Row.fetchOne(
                db,
                cached: """
                    SELECT COALESCE(SUM(s OR m), 0), COALESCE(SUM(m), 0), COALESCE(SUM(NOT s AND NOT m), 0) FROM (
                        SELECT MAX(counted) AS c, MAX(met) AS m, MAX(settled) AS s FROM indicator_fact
                        WHERE indicator = ? AND (period = '*' OR period BETWEEN ? AND ?) GROUP BY entity
                    ) WHERE c = 1
                    """,
                arguments: [indicator.id, low, high])!
            return (row[0], row[1], row[2])
        }
    }

    /// The entities a rate counts over `from...to` that do not meet it and are settled, in order.
    static func unmet(_ db: Database, _ indicator: Indicator, from: CalendarDate, to: CalendarDate) throws -> [String] {
        try String.fetchAll(
            db,
            cached: """
                SELECT entity FROM indicator_fact
                WHERE indicator = ? AND (period = '*' OR period BETWEEN ? AND ?)
                GROUP BY entity HAVING MAX(counted) = 1 AND MAX(met) = 0 AND MAX(settled) = 1 ORDER BY entity
                """,
            arguments: [indicator.id, from.description, to.description])
    }
}
