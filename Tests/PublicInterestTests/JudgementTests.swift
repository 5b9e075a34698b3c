import BanshiKit
import BanshiTesting
import Foundation
@testable import PublicInterest
import Testing

/// The standards at every boundary: GB 3838 classes, GB 2762 limits, banned substances, versions by
/// effective day; and the case clocks in calendar months and days.
@Suite("Judging samples by the standards")
struct JudgementTests {
    /// The shipped standards (an empty set if they do not load: the tests that need them then fail, not crash).
    static let standards = (try? Standards.load(directory: "config/standards")) ?? Standards(water: [], food: [], banned: [])
    static var gb3838: Standards.Water { standards.water.last ?? Standards.Water(version: "-", effective: day, limits: [:]) }
    static let day = CalendarDate("2026-06-01")!

    static func water(_ code: String, _ value: Double, body: WaterBody = .river, target: WaterClass = .iii) -> WaterJudgement {
        var values = ["nh3n": 0.1, "tp": 0.005, "cod": 10.0]
        values[code] = value
        return WaterJudgement(values: values, body: body, target: target, standard: gb3838)
    }

    @Test("The shipped standards load")
    func shipped() throws {
        let standards = try Standards.load(directory: "config/standards")
        #expect(standards.water.map(\.version) == ["GB 3838-2002"] && standards.food.map(\.version) == ["GB 2762-2017"])
        #expect(standards.banned.first?.substances.contains("clenbuterol") == true)
    }

    @Test("Every class boundary of every GB 3838 indicator: equal to a limit is in that class, just above is the next, above V is worse than V")
    func classBoundaries() {
        let limits: [(String, [Double], WaterBody)] = [
            ("nh3n", [0.15, 0.5, 1.0, 1.5, 2.0], .river), ("tp", [0.02, 0.1, 0.2, 0.3, 0.4], .river),
            ("tp", [0.01, 0.025, 0.05, 0.1, 0.2], .lake), ("tp", [0.01, 0.025, 0.05, 0.1, 0.2], .reservoir), ("cod", [15, 15, 20, 30, 40], .river),
        ]
        for (code, table, body) in limits {
            for (index, limit) in table.enumerated() {
                let at = Self.water(code, limit, body: body).classes[code]!
                // COD's classes I and II share 15: a value of 15 is class I.
                let expected = table.firstIndex(of: limit)!
                #expect(at == WaterClass(rawValue: expected + 1), "\(code) \(body) = \(limit)")
                let above = Self.water(code, limit + 0.0001, body: body).classes[code]!
                #expect(above == WaterClass(rawValue: table.firstIndex { limit + 0.0001 <= $0 }.map { $0 + 1 } ?? 6), "\(code) \(body) just above \(limit)")
                if index == 4 { #expect(above == .worseThanV) }
            }
        }
    }

    @Test("Total phosphorus of 0.08 mg/L is class II in a river and class IV in a lake")
    func riverVersusLake() {
        #expect(Self.water("tp", 0.08, body: .river).classes["tp"] == .ii)
        #expect(Self.water("tp", 0.08, body: .lake).classes["tp"] == .iv)
    }

    @Test("A sample meets its target when its worst indicator does; the exceedance is over the target class's limit")
    func target() {
        let meets = Self.water("nh3n", 1.0)
        #expect(meets.overall == .iii && meets.meetsTarget && meets.exceedance == nil)
        let misses = Self.water("nh3n", 3.0)
        #expect(misses.overall == .worseThanV && !misses.meetsTarget && misses.exceedance == 3.0)
        #expect(Severity(exceedance: misses.exceedance) == .medium)
        #expect(Severity(exceedance: 1.5) == .low && Severity(exceedance: 3.01) == .high && Severity(exceedance: nil, banned: true) == .high)
    }

    @Test("GB 2762 at the limit passes, just above fails; an unknown pair is refused naming the standard")
    func foodLimits() throws {
        for (substance, category, limit) in [("lead", "fresh-vegetables", 0.1), ("lead", "leafy-vegetables", 0.3), ("lead", "fish", 0.5), ("cadmium", "rice", 0.2)] {
            #expect(try !FoodJudgement(substance: substance, category: category, value: limit, day: Self.day, standards: Self.standards).fails)
            let above = try FoodJudgement(substance: substance, category: category, value: limit + 0.001, day: Self.day, standards: Self.standards)
            #expect(above.fails && above.limit == limit && above.version == "GB 2762-2017")
        }
        #expect { try FoodJudgement(substance: "mercury", category: "rice", value: 1, day: Self.day, standards: Self.standards) } throws: {
            ($0 as? CommandError)?.message.contains("GB 2762-2017 sets no limit for mercury in rice") == true
        }
    }

    @Test("A banned drug or pesticide fails at any detected value; not detected passes")
    func banned() throws {
        for substance in ["clenbuterol", "chloramphenicol", "malachite-green", "methamidophos", "carbofuran"] {
            #expect(try FoodJudgement(substance: substance, category: "meat", value: 0.0001, day: Self.day, standards: Self.standards).fails)
            #expect(try !FoodJudgement(substance: substance, category: "meat", value: 0, day: Self.day, standards: Self.standards).fails)
        }
    }

    @Test("A standard's new version applies from its effective day: the day before is judged by the old one")
    func versionSwitch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for file in ["gb3838-2002.toml", "banned-substances.toml", "gb2762-2017.toml"] {
            try FileManager.default.copyItem(atPath: "config/standards/\(file)", toPath: directory.file(file))
        }
        try """
            [standard]
            family = "GB 2762"
            version = "GB 2762-2030"
            title = "test"
            source = "a later version for this test"
            effective = "2030-07-01"
            kind = "food"

            [[limit]]
            substance = "lead"
            category = "fresh-vegetables"
            limit = 0.05
            """.write(toFile: directory.file("gb2762-2030.toml"), atomically: true, encoding: .utf8)
        let standards = try Standards.load(directory: directory.path)
        let before = try FoodJudgement(substance: "lead", category: "fresh-vegetables", value: 0.08, day: CalendarDate("2030-06-30")!, standards: standards)
        let on = try FoodJudgement(substance: "lead", category: "fresh-vegetables", value: 0.08, day: CalendarDate("2030-07-01")!, standards: standards)
        #expect(!before.fails && before.version == "GB 2762-2017")
        #expect(on.fails && on.version == "GB 2762-2030")
    }

    @Test("A bad standards file stops the load naming the file and the key")
    func badFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: "config/standards/banned-substances.toml", toPath: directory.file("banned.toml"))
        try FileManager.default.copyItem(atPath: "config/standards/gb2762-2017.toml", toPath: directory.file("food.toml"))
        let text = try String(contentsOfFile: "config/standards/gb3838-2002.toml", encoding: .utf8).replacingOccurrences(of: "[0.15, 0.5, 1.0, 1.5, 2.0]", with: "[0.15, 0.5, 1.0, 1.5]")
        try text.write(toFile: directory.file("water.toml"), atomically: true, encoding: .utf8)
        #expect { try Standards.load(directory: directory.path) } throws: { error in
            let error = error as? ConfigError
            return error?.key == "indicator.limits" || "\(error.map { "\($0)" } ?? "")".contains("water.toml")
        }
    }

    @Test("A suggestion's reply is due two calendar months on (the month's end when the day does not exist), 15 days when urgent; an announcement is 30 days")
    func clocks() {
        func due(_ day: String, urgent: Bool = false) -> String {
            SuggestionDeadline.due(issuedOn: CalendarDate(day)!, urgent: urgent, months: 2, urgentDays: 15).description
        }
        #expect(due("2027-03-01") == "2027-05-01")
        #expect(due("2026-12-31") == "2027-02-28")
        #expect(due("2027-01-31") == "2027-03-31")
        #expect(due("2027-12-31") == "2028-02-29")
        #expect(due("2028-02-29") == "2028-04-29")
        #expect(due("2027-03-01", urgent: true) == "2027-03-16")
    }

    @Test("Each migration makes exactly the schema in the snapshot, and every CHECK list allows exactly its vocabulary")
    func migrations() throws {
        let text = try ServiceDatabase.schemaSnapshot(PublicInterestService.definition.migrations)
        let difference = try SchemaSnapshot.compare(text, with: "Tests/PublicInterestTests/Snapshots/public-interest-migrations.sql")
        #expect(difference == nil, "\(difference ?? "")")
        for (table, column, names) in [
            ("site", "water_body", WaterBody.names), ("site", "target_class", WaterClass.targetNames), ("site", "food_place", FoodPlace.names),
            ("lead", "severity", Severity.names), ("case_file", "kind", CaseKind.names), ("case_file", "stage", CaseStage.names),
            ("evidence", "kind", EvidenceKind.names),
        ] {
            #expect(SchemaSnapshot.allowedValues(in: text, table: table, column: column) == names, "\(table).\(column)")
        }
    }
}
