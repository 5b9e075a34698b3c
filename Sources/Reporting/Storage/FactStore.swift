import BanshiKit
import SQLite

/// Indicator facts: written as events arrive (and again by a rebuild), read to compute values.
enum FactStore {
    /// The upsert of facts, prepared once for a batch of events: finding a cached statement hashes its
    /// whole SQL text.
    struct Writer {
        private let upsert: Statement
        /// The last type looked up and its readers: events of one type often come in runs.
        private var last: (type: String, readers: [Indicator]?)?

        init(_ db: Database) throws {
            upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO indicator_fact (indicator, period, entity, counted, met, settled) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (indicator, period, entity) DO UPDATE SET
                        counted = max(counted, excluded.counted), met = max(met, excluded.met), settled = max(settled, excluded.settled)
                    """)
        }

        /// Applies the facts `event` establishes for every indicator that reads its type.
        mutating func apply(_ db: Database, _ event: EventEnvelope) throws {
            if last?.type != event.type { last = (event.type, ProgramIndicators.byType[event.type]) }
            guard let readers = last?.readers else { return }
            for indicator in readers {
                for fact in indicator.facts(event) {
                    try db.executeBound(upsert, [
                        .text(indicator.id), .text(fact.period), .text(fact.entity), .int(fact.counted ? 1 : 0), .int(fact.met ? 1 : 0),
                        .int(fact.settled ? 1 : 0),
                    ])
                }
            }
        }
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
