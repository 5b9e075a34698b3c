import BanshiKit
import Foundation
import GRDB

/// Indicator facts: written as events arrive (and again by a rebuild), read to compute values.
enum FactStore {
    /// Applies the facts `event` establishes for every indicator that reads its type.
    static func apply(_ db: Database, _ event: EventEnvelope, indicators: [String: [Indicator]] = ProgramIndicators.byType) throws {
        guard let readers = indicators[event.type] else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO indicator_fact (indicator, period, entity, counted, met) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (indicator, period, entity) DO UPDATE SET counted = max(counted, excluded.counted), met = max(met, excluded.met)
                """)
        for indicator in readers {
            for fact in indicator.facts(event) {
                try statement.execute(arguments: [indicator.id, fact.period, fact.entity, fact.counted, fact.met])
            }
        }
    }

    /// An indicator's value over the years `from...to`: (counted, met) for a rate, (counted, counted) for a count.
    static func value(_ db: Database, _ indicator: Indicator, from: Int, to: Int) throws -> (counted: Int64, met: Int64) {
        let low = String(from)
        let high = String(to)
        switch indicator.kind {
        case .count:
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(DISTINCT entity) FROM indicator_fact
                    WHERE indicator = ? AND counted = 1 AND (period = '*' OR (period <= ? AND (? OR period >= ?)))
                    """,
                arguments: [indicator.id, high, indicator.cumulative, low])!
            let count: Int64 = row[0]
            return (count, count)
        case .rate:
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), COALESCE(SUM(m), 0) FROM (
                        SELECT MAX(counted) AS c, MAX(met) AS m FROM indicator_fact
                        WHERE indicator = ? AND (period = '*' OR period BETWEEN ? AND ?) GROUP BY entity
                    ) WHERE c = 1
                    """,
                arguments: [indicator.id, low, high])!
            return (row[0], row[1])
        }
    }
}
