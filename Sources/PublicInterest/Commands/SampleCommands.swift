import BanshiKit
import SQLite

/// Samples, judged on entry against the standard in force on their sampling day. A failed one opens a
/// lead at once, with a severity from its exceedance.
enum SampleCommands {
    static func all(_ settings: PublicInterestSettings) -> [CommandSpec] { [water(settings), food(settings), importCSV(settings)] }

    /// A site as a sample needs it.
    struct Site {
        let id: String
        let kind: String
        let name: String
        let body: WaterBody?
        let target: WaterClass?
        let schoolCanteen: Bool
        let servesMinors: Bool
        let creditCode: String?

        init(_ db: Database, _ id: String, kind: String, field: String = "site_id") throws {
            // Every sample looks its site up.
            let row = try db.recordText(
                "site", id: id, columns: "kind, name, water_body, target_class, school_canteen, serves_minors, operator_credit_code",
                what: "site", field: field)
            let found = row[0] ?? ""
            guard found == kind else { throw CommandError(.invalidArgument, "site \(id) is a \(found) site, not \(kind)", field: field) }
            self.id = id
            self.kind = kind
            name = row[1] ?? ""
            body = row[2].flatMap(WaterBody.init(rawValue:))
            target = row[3].flatMap(WaterClass.init(name:))
            schoolCanteen = row[4] == "1"
            servesMinors = row[5] == "1"
            creditCode = row[6]
        }
    }

    /// A water sample's values, checked.
    static func waterValues(_ values: [String: JSONValue], field: (String) -> String) throws(CommandError) -> [String: Double] {
        var result: [String: Double] = [:]
        for code in Standards.waterIndicators {
            guard let value = values[code]?.doubleValue, value >= 0, value < 100_000 else {
                throw CommandError(.invalidArgument, "\(code) is a measured value in mg/L, 0 or more", field: field(code))
            }
            result[code] = value
        }
        return result
    }

    /// Writes a judged sample, announces it, and opens a lead when it failed; returns the reply.
    /// What a sample measured: the columns `nh3n, tp, cod, water_class, item, category, substance,
    /// value` of its row, in that order, the other kind's left empty.
    enum Measured {
        /// The three values as checked by `waterValues` (a missing one is left NULL, which the table refuses).
        case water(nh3n: Double?, tp: Double?, cod: Double?, waterClass: String)
        case food(item: String, category: String, substance: String, value: Double)

        var columns: [SQLiteBinding] {
            switch self {
            case .water(let nh3n, let tp, let cod, let waterClass):
                [nh3n, tp, cod].map { $0.map(SQLiteBinding.real) ?? .null } + [.text(waterClass), .null, .null, .null, .null]
            case .food(let item, let category, let substance, let value):
                [.null, .null, .null, .null, .text(item), .text(category), .text(substance), .real(value)]
            }
        }
    }

    static func record(
        _ events: inout EventAppender, site: Site, day: CalendarDate, measured: Measured, passed: Bool,
        exceedance: Double?, banned: Bool, standard: String, extra: [String: JSONValue], importID: String?, now: Timestamp
    ) throws -> JSONValue {
        let id = OpaqueID.make("SM")
        // One statement for both kinds, bound through SQLite's C API: a statement put together from
        // a dictionary of columns for each sample was a ninth of the writer's time.
        try events.db.executeBound(
            """
            INSERT INTO sample (id, site_id, kind, sampled_on, passed, exceedance, standard, import_id, recorded_at,
                                nh3n, tp, cod, water_class, item, category, substance, value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(id), .text(site.id), .text(site.kind), .text(day.description), .int(passed ? 1 : 0),
                exceedance.map(SQLiteBinding.real) ?? .null, .text(standard), .optional(importID),
                .text(Timestamp.format(now)),
            ] + measured.columns)
        var data: [String: JSONValue] = [
            "sample_id": .string(id), "site_id": .string(site.id), "kind": .string(site.kind), "sampled_on": .string(day.description),
            "standard": .string(standard),
        ]
        data.merge(extra) { _, new in new }
        if let exceedance { data["exceedance"] = .double((exceedance * 1000).rounded() / 1000) }
        let judged = try events.emit(passed ? "public-interest.sample.passed" : "public-interest.sample.exceeded", subject: "site/\(site.id)", data: .object(data))
        var reply = data
        reply["passed"] = .bool(passed)
        guard !passed else { return .object(reply) }
        let lead = OpaqueID.make("LD")
        let severity = Severity(exceedance: exceedance, banned: banned)
        try events.db.execute(
            cached: "INSERT INTO lead (id, sample_id, site_id, severity, status, opened_at) VALUES (?, ?, ?, ?, 'open', ?)",
            arguments: [lead, id, site.id, severity.rawValue, Timestamp.format(now)])
        // Where minors eat: a school canteen, or a shop or place serving minors (rule 4).
        let minors = site.kind == "food" && (site.schoolCanteen || site.servesMinors)
        var leadData: [String: JSONValue] = [
            "lead_id": .string(lead), "sample_id": .string(id), "site_id": .string(site.id), "site_name": .string(site.name),
            "kind": .string(site.kind), "severity": .string(severity.rawValue), "minors_exposed": .bool(minors),
        ]
        if minors { leadData["venue_type"] = .string(site.schoolCanteen ? "school-canteen" : "shop") }
        if let code = site.creditCode { leadData["credit_code"] = .string(code) }
        // The lead belongs to the failed sample's flow, and so does all that the rules route from it.
        try events.emit("public-interest.lead.opened", subject: "lead/\(lead)", data: .object(leadData), correlationid: judged.correlationid, causationid: judged.id)
        reply["lead_id"] = .string(lead)
        reply["severity"] = .string(severity.rawValue)
        return .object(reply)
    }

    static func waterSample(
        _ events: inout EventAppender, _ settings: PublicInterestSettings, siteID: String, day: CalendarDate, values: [String: Double],
        importID: String?, now: Timestamp, field: String = "site_id"
    ) throws -> JSONValue {
        let site = try Site(events.db, siteID, kind: "water", field: field)
        let standard = try Standards.inForce(settings.standards.water, on: day, effective: \.effective, family: "GB 3838")
        let judged = WaterJudgement(values: values, body: site.body!, target: site.target!, standard: standard)
        return try record(
            &events, site: site, day: day,
            measured: .water(nh3n: values["nh3n"], tp: values["tp"], cod: values["cod"], waterClass: judged.overall.name),
            passed: judged.meetsTarget, exceedance: judged.exceedance, banned: false, standard: judged.version,
            extra: ["water_class": .string(judged.overall.name), "target_class": .string(site.target!.name)], importID: importID, now: now)
    }

    static func foodSample(
        _ events: inout EventAppender, _ settings: PublicInterestSettings, siteID: String, day: CalendarDate, item: String, category: String,
        substance: String, value: Double, importID: String?, now: Timestamp, field: String = "site_id"
    ) throws -> JSONValue {
        let site = try Site(events.db, siteID, kind: "food", field: field)
        guard value >= 0, value < 100_000 else { throw CommandError(.invalidArgument, "value is a measured mg/kg, 0 or more", field: "value") }
        let judged = try FoodJudgement(substance: substance, category: category, value: value, day: day, standards: settings.standards)
        var extra: [String: JSONValue] = ["substance": .string(substance), "category": .string(category), "banned": .bool(judged.banned)]
        if let limit = judged.limit { extra["limit"] = .double(limit) }
        return try record(
            &events, site: site, day: day,
            measured: .food(item: item, category: category, substance: substance, value: value), passed: !judged.fails,
            exceedance: judged.exceedance, banned: judged.banned, standard: judged.version, extra: extra, importID: importID, now: now)
    }

    static func water(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "sample.water", "record a rapid water test (NH3-N, TP, COD in mg/L), judged by GB 3838 in force on the sampling day",
            arguments: [
                ArgumentSpec("site_id", .string, required: true, "the water body"), ArgumentSpec("sampled_on", .date, "the day (default: today)"),
                ArgumentSpec("nh3n", .number, required: true, "ammonia nitrogen, mg/L"), ArgumentSpec("tp", .number, required: true, "total phosphorus, mg/L"),
                ArgumentSpec("cod", .number, required: true, "chemical oxygen demand, mg/L"),
            ]
        ) { context, events in
            let values = try waterValues(context.arguments.values) { $0 }
            let day = try context.pastDay("sampled_on")
            return try waterSample(&events, settings, siteID: try context.arguments.string("site_id"), day: day, values: values, importID: nil, now: context.now)
        }
    }

    static func food(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "sample.food", "record a food test: a contaminant judged by GB 2762, or a banned drug or pesticide (any detection fails)",
            arguments: [
                ArgumentSpec("site_id", .string, required: true, "the food place"), ArgumentSpec("sampled_on", .date, "the day (default: today)"),
                ArgumentSpec("item", .string, required: true, "what was sampled, e.g. 青菜"),
                ArgumentSpec("category", .string, required: true, "its food category, e.g. leafy-vegetables"),
                ArgumentSpec("substance", .string, required: true, "the contaminant, drug or pesticide tested, e.g. lead, clenbuterol"),
                ArgumentSpec("value", .number, required: true, "the measured value, mg/kg (0: not detected)"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let day = try context.pastDay("sampled_on")
            guard let value = arguments.optionalDouble("value") else { throw CommandError(.invalidArgument, "value is a number", field: "value") }
            return try foodSample(
                &events, settings, siteID: try arguments.string("site_id"), day: day, item: try arguments.text("item"), category: try arguments.text("category"),
                substance: try arguments.text("substance"), value: value, importID: nil, now: context.now)
        }
    }

    /// `samples.import`: a lab's results as CSV, all or nothing. Columns: `kind,site_id,sampled_on,nh3n,tp,cod,item,category,substance,value`
    /// (water rows fill the first six, food rows the rest). A bad row is refused with its line number
    /// and nothing of the file is written.
    static func importCSV(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "samples.import", "import a lab's results from CSV in one transaction: a bad row is refused with its line number, and nothing is written",
            arguments: [ArgumentSpec("csv", .string, required: true, "the CSV text (banshictl: --arg csv=@FILE)")]
        ) { context, events in
            // "\r\n" is one Character in Swift: split on any line break, CRLF as much as LF.
            let lines = try context.arguments.string("csv").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            let header = ["kind", "site_id", "sampled_on", "nh3n", "tp", "cod", "item", "category", "substance", "value"]
            guard lines.first?.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingSpaces }) == header else {
                throw CommandError(.invalidArgument, "line 1 must be the header \(header.joined(separator: ","))", details: ["field": "csv", "line": 1])
            }
            let importID = OpaqueID.make("IM")
            var imported = 0, failed = 0
            for (index, line) in lines.enumerated().dropFirst() where !line.trimmingSpaces.isEmpty {
                let number = index + 1
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
                do {
                    guard cells.count == header.count else { throw CommandError(.invalidArgument, "has \(cells.count) columns, not \(header.count)") }
                    let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
                    let day = try CalendarDate.past(row["sampled_on"]!.isEmpty ? nil : row["sampled_on"], now: context.now, field: "sampled_on")
                    let reply: JSONValue
                    switch row["kind"]! {
                    case "water":
                        var values: [String: JSONValue] = [:]
                        for code in Standards.waterIndicators { values[code] = Double(row[code]!).map(JSONValue.double) }
                        reply = try waterSample(&events, settings, siteID: row["site_id"]!, day: day, values: try waterValues(values) { $0 }, importID: importID, now: context.now)
                    case "food":
                        guard let value = Double(row["value"]!) else { throw CommandError(.invalidArgument, "value is not a number", field: "value") }
                        for key in ["item", "category", "substance"] where row[key]!.isEmpty { throw CommandError(.invalidArgument, "\(key) is empty", field: key) }
                        reply = try foodSample(
                            &events, settings, siteID: row["site_id"]!, day: day, item: row["item"]!, category: row["category"]!,
                            substance: row["substance"]!, value: value, importID: importID, now: context.now)
                    default:
                        throw CommandError(.invalidArgument, "kind is water or food, not '\(row["kind"]!)'", field: "kind")
                    }
                    imported += 1
                    if reply["passed"] == false { failed += 1 }
                } catch let error as CommandError {
                    // The whole command fails, so its transaction writes nothing of the file.
                    var details = error.details
                    details["line"] = .int(Int64(number))
                    throw CommandError(.invalidArgument, "line \(number): \(error.message)", details: details)
                }
            }
            return ["import_id": .string(importID), "imported": .int(Int64(imported)), "failed": .int(Int64(failed))]
        }
    }
}
