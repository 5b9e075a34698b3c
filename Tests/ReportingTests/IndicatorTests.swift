import BanshiKit
import Foundation
import Reporting
import Testing

@Suite("Indicators: the facts each event establishes")
struct IndicatorTests {
    func event(_ type: String, _ data: JSONValue, at time: String = "2026-03-01T02:00:00Z") throws -> EventEnvelope {
        let topic = try Topic(type)
        return EventEnvelope(service: topic.service, type: topic, time: Timestamp.parse(time)!, subject: nil, data: data, seq: 1)
    }

    func indicator(_ id: String) throws -> Indicator { try #require(ProgramIndicators.all.first { $0.id == id }) }

    @Test("Every indicator has a target in the shipped targets file, and reads only catalogued event types")
    func shipped() throws {
        let targets = try Targets(file: "config/targets.toml", indicators: ProgramIndicators.all)
        #expect(targets.values["children.interview-centres"] == 14)
        #expect(Set(targets.values.keys) == Set(ProgramIndicators.all.map(\.id)))
        for (catalog, indicators) in ProgramIndicators.programs {
            let types = Set(catalog.events.map(\.type))
            for indicator in indicators {
                #expect(indicator.program == catalog.service, "\(indicator.id) is declared beside \(catalog.service)'s catalog")
                #expect(indicator.reads.isSubset(of: types), "\(indicator.id) reads \(indicator.reads.subtracting(types).sorted()), not in the \(catalog.service) catalog")
                #expect(indicator.id.hasPrefix("\(catalog.service).") && !indicator.reads.isEmpty)
            }
        }
    }

    @Test("Early intervention counts only cases that require it, on the day registered, pending until intervention is recorded or its deadline passes; met when on time")
    func earlyIntervention() throws {
        let early = try indicator("children.early-intervention")
        #expect(early.facts(try event("children.victim-case.registered", ["case_id": "VC-1", "intervention_required": true]))
            == [Fact(period: "2026-03-01", entity: "VC-1", counted: true, settled: false)])
        #expect(early.facts(try event("children.victim-case.registered", ["case_id": "VC-2", "intervention_required": false])).isEmpty)
        #expect(early.facts(try event("children.intervention.recorded", ["case_id": "VC-1", "on_time": false]))
            == [Fact(period: "*", entity: "VC-1", met: false)])
        #expect(early.facts(try event("children.intervention.overdue", ["case_id": "VC-3"])) == [Fact(period: "*", entity: "VC-3")])
    }

    @Test("The day is China Standard Time's: 16:00 UTC on 31 December is already the next year's first day")
    func day() throws {
        #expect(try event("children.school.registered", [:], at: "2025-12-31T16:00:00Z").recordedDay == "2026-01-01")
        #expect(try event("children.school.registered", [:], at: "2025-12-31T15:59:59Z").recordedDay == "2025-12-31")
        #expect(Fact.day("2025-12-31") == "2025-12-31")
        #expect(Fact.day("2025-12-31T16:00:00Z") == "2026-01-01")
        #expect(Fact.day("2025-12-1") == "*")
        #expect(Fact.day(nil) == "*")
    }

    @Test("No blank spots: registration counts every year, an approval meets its year, a rejection nothing")
    func blankSpots() throws {
        let spots = try indicator("petition.aid-no-blank-spots")
        #expect(spots.facts(try event("petition.procuratorate.registered", ["procuratorate_id": "nanhu", "level": "district"]))
            == [Fact(period: "*", entity: "nanhu", counted: true)])
        #expect(spots.facts(try event("petition.aid.decided", ["procuratorate_id": "nanhu", "decision": "approved"]))
            == [Fact(period: "2026-03-01", entity: "nanhu", met: true)])
        #expect(spots.facts(try event("petition.aid.decided", ["procuratorate_id": "nanhu", "decision": "rejected"])).isEmpty)
    }

    func targetError(_ text: String) -> ConfigError? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("targets-\(UUID().uuidString).toml").path
        try? text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        do throws(ConfigError) { _ = try Targets(file: file, indicators: ProgramIndicators.all); return nil } catch { return error }
    }

    @Test("A missing, unknown or out-of-range target is named")
    func targetErrors() throws {
        let shipped = try String(contentsOfFile: "config/targets.toml", encoding: .utf8)
        #expect(targetError(shipped.replacingOccurrences(of: "\"children.early-intervention\" = 1.0", with: ""))?.key == "targets.children.early-intervention")
        #expect(targetError(shipped + "\n\"children.happiness\" = 1\n")?.key == "targets.children.happiness")
        #expect(targetError(shipped.replacingOccurrences(of: "\"petition.aid-no-blank-spots\" = 1.0", with: "\"petition.aid-no-blank-spots\" = 100"))?.key
            == "targets.petition.aid-no-blank-spots")
    }
}
