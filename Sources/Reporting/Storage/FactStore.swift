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

    /// The facts of one indicator that a range of days takes in: those of every period (`*`), then those
    /// dated `?...?`, as two searches of the primary key. Written as `period = '*' OR period BETWEEN …`
    /// the condition let SQLite search by the indicator alone and read every fact it ever had, whatever
    /// the range: each of a report's twelve months read them all (docs/benchmarks.md).
    /// `columns` are those read; the arguments are the indicator twice, then the first and last day.
    private static func facts(_ columns: String, countedOnly: Bool = false) -> String {
        let counted = countedOnly ? " AND counted = 1" : ""
        return """
            SELECT \(columns) FROM indicator_fact WHERE indicator = ?\(counted) AND period = '*'
            UNION ALL
            SELECT \(columns) FROM indicator_fact WHERE indicator = ?\(counted) AND period BETWEEN ? AND ?
            """
    }

    /// The first day a count takes in: `from`, or every day before it too when the count is cumulative.
    /// Dated periods are days (`2026-03-01`), all after this text.
    private static func low(_ indicator: Indicator, from: CalendarDate) -> String {
        indicator.cumulative ? "0000-00-00" : from.description
    }

    /// An indicator's value over the days `from...to` (China Standard Time): (counted, met) for a rate,
    /// with `pending` the entities counted whose outcome is still open (left out of both); (counted,
    /// counted, 0) for a count.
    static func value(
        _ db: Database, _ indicator: Indicator, from: CalendarDate, to: CalendarDate
    ) throws -> (counted: Int64, met: Int64, pending: Int64) {
        switch indicator.kind {
        case .count:
            let row = try Row.fetchOne(
                db, cached: "SELECT COUNT(DISTINCT entity) FROM (\(facts("entity", countedOnly: true)))",
                arguments: [indicator.id, indicator.id, low(indicator, from: from), to.description])!
            let count: Int64 = row[0]
            return (count, count, 0)
        case .rate:
            let row = try Row.fetchOne(
                db,
                cached: """
                    SELECT COALESCE(SUM(s OR m), 0), COALESCE(SUM(m), 0), COALESCE(SUM(NOT s AND NOT m), 0) FROM (
                        SELECT MAX(counted) AS c, MAX(met) AS m, MAX(settled) AS s FROM (\(facts("entity, counted, met, settled")))
                        GROUP BY entity
                    ) WHERE c = 1
                    """,
                arguments: [indicator.id, indicator.id, from.description, to.description])!
            return (row[0], row[1], row[2])
        }
    }

    /// A count's value at the end of each of `months` (`2026-03`, in order, within `from...to`): the
    /// entities counted from `from` (from the start, when cumulative) to that month's end. One reading
    /// of the facts: each entity is counted from the month of its first fact.
    static func countByMonth(
        _ db: Database, _ indicator: Indicator, from: CalendarDate, to: CalendarDate, months: [String]
    ) throws -> [Int64] {
        let firsts = try Row.fetchAll(
            db,
            cached: """
                SELECT substr(first, 1, 7) AS month, COUNT(*) AS entities FROM (
                    SELECT MIN(period) AS first FROM (\(facts("entity, period", countedOnly: true))) GROUP BY entity
                ) GROUP BY month ORDER BY month
                """,
            arguments: [indicator.id, indicator.id, low(indicator, from: from), to.description])
        // `*` (every period) sorts before any month.
        var running: Int64 = 0
        var next = firsts.startIndex
        return months.map { month in
            while next < firsts.endIndex, (firsts[next]["month"] as String) <= month {
                running += firsts[next]["entities"] as Int64
                next += 1
            }
            return running
        }
    }

    /// The entities a rate counts over `from...to` that do not meet it and are settled, in order.
    static func unmet(_ db: Database, _ indicator: Indicator, from: CalendarDate, to: CalendarDate) throws -> [String] {
        try String.fetchAll(
            db,
            cached: """
                SELECT entity FROM (\(facts("entity, counted, met, settled")))
                GROUP BY entity HAVING MAX(counted) = 1 AND MAX(met) = 0 AND MAX(settled) = 1 ORDER BY entity
                """,
            arguments: [indicator.id, indicator.id, from.description, to.description])
    }
}
