import BanshiKit
import SQLite

/// A report: each indicator against its target over a range of days, and the events over time.
struct Report {
    let from: CalendarDate
    let to: CalendarDate
    let program: String?
    let generatedAt: Timestamp
    let indicators: [JSONValue]
    let series: JSONValue
    let rebuilding: JSONValue?

    /// Where an indicator stands. `behind` is a figure under its target; `no data` is nothing counted in
    /// the range; `pending` is nothing settled yet, though cases are open (their deadlines not passed).
    enum Status: String {
        case met, behind, pending
        case noData = "no data"

        /// The word a manager reads, Chinese first.
        var label: String {
            switch self {
            case .met: "达标 met"
            case .behind: "未达标 behind"
            case .pending: "待定 pending"
            case .noData: "无数据 no data"
            }
        }
    }

    /// Computes the report in one read transaction, so that every figure comes from the same history.
    static func compute(
        _ db: Database, from: CalendarDate, to: CalendarDate, program: String?, targets: Targets, now: Timestamp
    ) throws -> Report {
        var indicators: [JSONValue] = []
        let months = months(from: from, to: to)
        // A count's value is its running total at the range's end: the month-by-month reading gives
        // both, so a count's facts are read once for the figure and its line.
        var counts: [String: [Int64]] = [:]
        for indicator in ProgramIndicators.all where program == nil || indicator.program == program {
            if indicator.kind == .count {
                counts[indicator.id] = try FactStore.countByMonth(db, indicator, from: from, to: to, months: months.map(\.label))
            }
            let (counted, met, pending) = try counts[indicator.id].map { ($0.last ?? 0, $0.last ?? 0, 0) } ?? FactStore.value(db, indicator, from: from, to: to)
            let target = targets.values[indicator.id] ?? 0
            let value: Double? = indicator.kind == .rate ? (counted == 0 ? nil : Double(met) / Double(counted)) : Double(counted)
            let progress = value.map { value in
                indicator.ceiling ? (value <= target ? 1 : target / value) : (target == 0 ? 1 : min(value / target, 1))
            }
            var entry: [String: JSONValue] = [
                "id": .string(indicator.id), "program": .string(indicator.program), "title": .string(indicator.title),
                "explanation": .string(indicator.explanation), "kind": .string(indicator.kind.rawValue), "target": .double(target),
                "ceiling": .bool(indicator.ceiling),
                "value": value.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null,
                "progress": progress.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null,
            ]
            let status = value.map { (indicator.ceiling ? $0 <= target : $0 >= target) ? Status.met : .behind } ?? (pending > 0 ? .pending : .noData)
            entry["status"] = .string(status.rawValue)
            entry["status_label"] = .string(status.label)
            if indicator.kind == .rate {
                entry["numerator"] = .int(met)
                entry["denominator"] = .int(counted)
                entry["pending"] = .int(pending)
            }
            if indicator.namesUnmet {
                entry["unmet"] = .array(try FactStore.unmet(db, indicator, from: from, to: to).map { .string($0) })
            }
            indicators.append(.object(entry))
        }
        return Report(
            from: from, to: to, program: program, generatedAt: now, indicators: indicators,
            series: try series(db, months: months, counts: counts, program: program, targets: targets), rebuilding: try rebuildState(db))
    }

    /// The months of `from...to`, each with its first and last day in the range (`2026-03`).
    static func months(from: CalendarDate, to: CalendarDate) -> [(label: String, first: CalendarDate, last: CalendarDate)] {
        var months: [(label: String, first: CalendarDate, last: CalendarDate)] = []
        var month = CalendarDate(year: from.year, month: from.month, day: 1)!
        while month <= to {
            let next = month.adding(months: 1)
            months.append((String(month.description.prefix(7)), max(month, from), min(next.adding(days: -1), to)))
            month = next
        }
        return months
    }

    /// Each indicator month by month across the range, as a share of its target (1 is the target
    /// reached): a rate is that month's rate, a count the running total from the range's start to the
    /// month's end (`counts`, read with the counts' values). `null` where a month has nothing counted.
    /// Ceilings (targets of 0) are left out.
    static func series(
        _ db: Database, months: [(label: String, first: CalendarDate, last: CalendarDate)], counts: [String: [Int64]], program: String?,
        targets: Targets
    ) throws -> JSONValue {
        var lines: [JSONValue] = []
        for indicator in ProgramIndicators.all where program == nil || indicator.program == program {
            let target = targets.values[indicator.id] ?? 0
            guard !indicator.ceiling, target > 0 else { continue }
            let values: [Double?] = switch indicator.kind {
            case .count:
                (counts[indicator.id] ?? []).map(Double.init)
            case .rate:
                try months.map { month in
                    let (counted, met, _) = try FactStore.value(db, indicator, from: month.first, to: month.last)
                    return counted == 0 ? nil : Double(met) / Double(counted)
                }
            }
            lines.append([
                "id": .string(indicator.id), "program": .string(indicator.program), "title": .string(indicator.title),
                "kind": .string(indicator.kind.rawValue),
                "share_of_target": .array(values.map { value in value.map { .double((($0 / target) * 1000).rounded() / 1000) } ?? .null }),
            ])
        }
        return ["unit": "month", "buckets": .array(months.map { .string($0.label) }), "indicators": .array(lines)]
    }

    static func rebuildState(_ db: Database) throws -> JSONValue? {
        guard let row = try Row.fetchOne(db, cached: "SELECT * FROM rebuild_state WHERE id = 1 AND finished_at IS NULL") else { return nil }
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
