import BanshiKit
import Foundation
import GRDB

/// A report: each indicator against its target over a range of days, and the events over time.
struct Report {
    let from: CalendarDate
    let to: CalendarDate
    let program: String?
    let generatedAt: Date
    let indicators: [JSONValue]
    let series: JSONValue
    let rebuilding: JSONValue?

    /// Computes the report in one read transaction, so that every figure comes from the same history.
    static func compute(
        _ db: Database, from: CalendarDate, to: CalendarDate, program: String?, targets: Targets, now: Date
    ) throws -> Report {
        var indicators: [JSONValue] = []
        for indicator in ProgramIndicators.all where program == nil || indicator.program == program {
            let (counted, met) = try FactStore.value(db, indicator, from: from.year, to: to.year)
            let target = targets.values[indicator.id] ?? 0
            let value: Double? = indicator.kind == .rate ? (counted == 0 ? nil : Double(met) / Double(counted)) : Double(counted)
            let progress = value.map { value in
                indicator.ceiling ? (value <= target ? 1 : target / value) : (target == 0 ? 1 : min(value / target, 1))
            }
            var entry: [String: JSONValue] = [
                "id": .string(indicator.id), "program": .string(indicator.program), "title": .string(indicator.title),
                "explanation": .string(indicator.explanation), "kind": .string(indicator.kind.rawValue), "target": .double(target),
                "value": value.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null,
                "progress": progress.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null,
                "status": .string(value.map { (indicator.ceiling ? $0 <= target : $0 >= target) ? "met" : "behind" } ?? "no data"),
            ]
            if indicator.kind == .rate {
                entry["numerator"] = .int(met)
                entry["denominator"] = .int(counted)
            }
            indicators.append(.object(entry))
        }
        return Report(
            from: from, to: to, program: program, generatedAt: now, indicators: indicators,
            series: try series(db, from: from, to: to, program: program), rebuilding: try rebuildState(db))
    }

    /// Events per program per day (ranges up to 62 days) or per month.
    static func series(_ db: Database, from: CalendarDate, to: CalendarDate, program: String?) throws -> JSONValue {
        let monthly = from.days(until: to) > 62
        let start = Timestamp.format(from.start)
        let end = Timestamp.format(to.adding(days: 1).start)
        // Buckets are China Standard Time days: shift the UTC time by 8 hours before cutting it.
        let bucket = monthly ? "substr(datetime(time, '+8 hours'), 1, 7)" : "substr(datetime(time, '+8 hours'), 1, 10)"
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(bucket) AS bucket, source, COUNT(*) AS events FROM history
                WHERE time >= ? AND time < ? AND (?3 IS NULL OR source = ?3) AND type NOT LIKE '%.heartbeat.sent'
                GROUP BY bucket, source ORDER BY bucket, source
                """,
            arguments: [start, end, program])
        var buckets: [String] = []
        var day = from
        while day <= to {
            let label = monthly ? String(day.description.prefix(7)) : day.description
            if buckets.last != label { buckets.append(label) }
            day = monthly ? CalendarDate(year: day.year, month: day.month, day: 1)!.adding(months: 1) : day.adding(days: 1)
        }
        var counts: [String: [String: Int64]] = [:]
        for row in rows { counts[row["source"] as String, default: [:]][row["bucket"] as String] = row["events"] }
        let programs = counts.keys.sorted()
        return [
            "unit": monthly ? "month" : "day", "buckets": .array(buckets.map { .string($0) }),
            "programs": .object(Dictionary(uniqueKeysWithValues: programs.map { name in
                (name, JSONValue.array(buckets.map { .int(counts[name]?[$0] ?? 0) }))
            })),
        ]
    }

    static func rebuildState(_ db: Database) throws -> JSONValue? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM rebuild_state WHERE id = 1 AND finished_at IS NULL") else { return nil }
        return row.jsonObject()
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "from": .string(from.description), "to": .string(to.description), "generated_at": .string(Timestamp.format(generatedAt)),
            "indicators": .array(indicators), "events": series,
        ]
        if let program { object["program"] = .string(program) }
        if let rebuilding { object["rebuilding"] = rebuilding }
        return .object(object)
    }
}
