import BanshiKit
import BanshiTesting
import Foundation
import Glibc
import PublicInterest
import Testing

/// The real `banshi-public-interest` over ZeroMQ: the program's whole drive and conformance, the CSV
/// import, evidence that was tampered with, rules 3 and 4 through the coordinator (with their targets
/// down for a while), and reporting's indicators against a hand count.
@Suite("System: the public-interest service")
struct PublicInterestSystemTests {
    static let operatorCode = "91350100M000100Y43"

    /// The service's section: the shipped standards; evidence in its default store, `<data_dir>/public-interest/evidence`.
    static let keys = "scan_interval_ms = 0\nstandards_dir = \"\(TestRepository.path)/config/standards\""

    /// The evidence store of `suite`'s public-interest service.
    static func store(_ suite: TestSuite) -> String { Path.join(suite.stateDirectory("public-interest"), "evidence") }

    /// A food site; returns its id.
    static func foodSite(_ run: Runner, canteen: Bool = false, code: String? = nil) async throws -> JSONValue {
        var args: [String: JSONValue] = ["kind": "food", "name": "实验小学食堂", "district": "姑苏区", "food_place": "canteen", "school_canteen": .bool(canteen)]
        if let code { args["operator_credit_code"] = .string(code) }
        return try await run.ok("site.register", args)["site_id"]!
    }

    static func waterSite(_ run: Runner, body: String = "river", target: String = "III") async throws -> JSONValue {
        try await run.ok("site.register", ["kind": "water", "name": "外城河", "district": "姑苏区", "water_body": .string(body), "target_class": .string(target)])["site_id"]!
    }

    @Test("The whole program over the wire: sites, samples judged, leads, an administrative and a civil case through every step, follow-up before and after, evidence with custody; every event type in contract")
    func wholeProgram() async throws {
        try await TestSuite.with(services: ["public-interest"], serviceKeys: ["public-interest": Self.keys]) { suite in
            try await suite.start("bus")
            try await suite.start("public-interest")
            let run = Runner(suite, service: "public-interest")
            let conformance = ProgramConformance(service: "public-interest", catalog: PublicInterestEvents.catalog, personal: ["河道有异味", "镜头A.mp4"])
            let report = try await conformance.check(suite) {
                let river = try await Self.waterSite(run)
                let lake = try await Self.waterSite(run, body: "lake", target: "III")
                let canteen = try await Self.foodSite(run, canteen: true, code: Self.operatorCode)
                #expect(try await run.failure("site.register", ["kind": "water", "name": "x", "district": "x"])?.details["field"] == "water_body")
                #expect(try await run.failure("site.register", ["kind": "food", "name": "x", "district": "x", "food_place": "shop", "operator_credit_code": "91350100M000100Y44"])?.details["field"] == "operator_credit_code")

                // TP 0.08: class II in the river (passes III), class IV in the lake (misses III by 1.6 times).
                #expect(try await run.ok("sample.water", ["site_id": river, "nh3n": 0.5, "tp": 0.08, "cod": 15, "sampled_on": "2026-04-01"])["passed"] == true)
                let lakeSample = try await run.ok("sample.water", ["site_id": lake, "nh3n": 0.5, "tp": 0.08, "cod": 15, "sampled_on": "2026-04-01"])
                #expect(lakeSample["passed"] == false && lakeSample["water_class"] == "IV" && lakeSample["severity"] == "medium")
                let banned = try await run.ok("sample.food", ["site_id": canteen, "item": "猪肉", "category": "meat", "substance": "clenbuterol", "value": 0.001, "sampled_on": "2026-04-02"])
                #expect(banned["passed"] == false && banned["severity"] == "high")
                #expect(try await run.failure("sample.food", ["site_id": canteen, "item": "x", "category": "rice", "substance": "mercury", "value": 1])?.details["field"] == "substance")
                #expect(try await run.failure("sample.water", ["site_id": canteen, "nh3n": 1, "tp": 1, "cod": 1])?.details["field"] == "site_id")

                // Administrative: consultation → suggestion (2 calendar months) → overdue → litigation → closed.
                let admin = try await run.ok("case.open", ["lead_id": lakeSample["lead_id"]!, "kind": "administrative", "agency": "区水务局", "now": "2026-04-05T02:00:00Z"])["case_id"]!
                #expect(
                    try await run.failure("case.litigate", ["case_id": admin])?.message
                        == "litigation needs an administrative case at suggestion; this is an administrative case at consultation")
                #expect(
                    try await run.failure("case.sue", ["case_id": admin])?.message
                        == "a civil suit needs a civil case at announcement; this is an administrative case at consultation")
                // Each step is dated no earlier than the one it follows.
                #expect(
                    try await run.failure("case.suggest", ["case_id": admin, "issued_on": "2026-04-01", "now": "2026-04-10T02:00:00Z"])?.message
                        == "issued_on 2026-04-01 is before the case was opened (2026-04-05)")
                #expect(try await run.ok("case.suggest", ["case_id": admin, "issued_on": "2026-04-10", "now": "2026-04-10T02:00:00Z"])["reply_due"] == "2026-06-10")
                #expect(try await run.failure("case.litigate", ["case_id": admin, "now": "2026-06-10T02:00:00Z"])?.code == .conflict, "not before the reply is due")
                #expect(try await run.ok("deadlines.scan", ["now": "2026-06-10T08:00:00Z"])["emitted"]?["suggestion"] == 0)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-06-11T00:00:00Z"])["emitted"]?["suggestion"] == 1)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-06-12T00:00:00Z"])["emitted"]?["suggestion"] == 0)
                #expect(
                    try await run.failure("case.reply", ["case_id": admin, "acted": false, "replied_on": "2026-04-09", "now": "2026-06-15T02:00:00Z"])?.details["field"]
                        == "replied_on")
                try await run.ok("case.reply", ["case_id": admin, "acted": false, "replied_on": "2026-06-15", "now": "2026-06-15T02:00:00Z"])
                try await run.ok("case.litigate", ["case_id": admin, "now": "2026-06-20T02:00:00Z"])
                // A follow-up visit: the sample before and after, side by side.
                try await run.ok("case.follow-up", ["case_id": admin, "note": "河道有异味，已清淤", "nh3n": 0.5, "tp": 0.04, "cod": 15])
                let record = try await run.ok("case.get", ["case_id": admin])
                #expect(record["before"]?.arrayValue?.first?["water_class"] == "IV" && record["after"]?.arrayValue?.first?["water_class"] == "III")
                try await run.ok("case.close", ["case_id": admin, "outcome": "判决行政机关履职"])

                // Civil: a 30-day announcement from 1 May ends on 30 May; the suit comes on 31 May, not before.
                let civil = try await run.ok("case.open", ["lead_id": banned["lead_id"]!, "kind": "civil", "opened_on": "2026-04-20"])["case_id"]!
                #expect(try await run.failure("case.announce", ["case_id": civil, "announced_on": "2026-04-19", "now": "2026-05-01T02:00:00Z"])?.details["field"] == "announced_on")
                #expect(try await run.ok("case.announce", ["case_id": civil, "announced_on": "2026-05-01", "now": "2026-05-01T02:00:00Z"])["ends_on"] == "2026-05-30")
                #expect(try await run.failure("case.sue", ["case_id": civil, "now": "2026-05-30T02:00:00Z"])?.code == .conflict)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-05-31T00:00:00Z"])["emitted"]?["announcement"] == 1)
                try await run.ok("case.sue", ["case_id": civil, "now": "2026-05-31T02:00:00Z"])

                // Evidence: registered with its hash, handed over, verified; then tampered with and found out.
                let store = Self.store(suite) + "/2026"
                try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
                try Data(repeating: 7, count: (1 << 20) + 5).write(to: URL(fileURLWithPath: "\(store)/镜头A.mp4"))
                let evidence = try await run.ok(
                    "evidence.register",
                    ["lead_id": banned["lead_id"]!, "kind": "drone-footage", "file": "2026/镜头A.mp4", "taken_at": "2026-04-02T03:00:00Z", "place": "实验小学", "holder": "张检"])
                #expect(evidence["sha256"]?.stringValue == SHA256.hex([UInt8](repeating: 7, count: (1 << 20) + 5)))
                let again = try await run.failure(
                    "evidence.register",
                    ["lead_id": banned["lead_id"]!, "kind": "drone-footage", "file": "2026/镜头A.mp4", "taken_at": "2026-04-02T03:00:00Z", "place": "实验小学", "holder": "张检"])
                #expect(again?.code == .conflict && again?.details["evidence_id"] == evidence["evidence_id"], "the same content for the same lead, once")
                #expect(try await run.failure("evidence.register", ["lead_id": banned["lead_id"]!, "kind": "photo", "file": "../banshi.toml", "taken_at": "2026-04-02T03:00:00Z", "place": "x", "holder": "x"])?.details["field"] == "file")
                try await run.ok("evidence.handover", ["evidence_id": evidence["evidence_id"]!, "to": "技术处李工", "note": "送检"])
                #expect(try await run.ok("evidence.verify", ["evidence_id": evidence["evidence_id"]!])["matches"] == true)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(store)/镜头A.mp4"))
                try handle.seek(toOffset: 1_000_000)
                try handle.write(contentsOf: Data([8]))
                try handle.close()
                let tampered = try await run.ok("evidence.verify", ["evidence_id": evidence["evidence_id"]!])
                #expect(tampered["matches"] == false && tampered["custody"]?.arrayValue?.count == 1)
            }
            #expect(report.problems.isEmpty, "\(report.problems.joined(separator: "\n"))")
            let leads = try await suite.banshictl(["records", "public-interest", "lead.list"])
            #expect(leads.status == 0 && leads.stdout.contains("SEVERITY") && leads.stdout.contains("high"))

            // The cases' listing has 16 columns, wider than a terminal: banshictl says how to choose some.
            let cases = try await suite.banshictl(["records", "public-interest", "case.list"])
            let header = cases.stdout.split(separator: "\n").first.map(String.init) ?? ""
            let width = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
            #expect(cases.status == 0 && header.hasPrefix("CASE") && header.hasSuffix("OUTCOME"), "\(cases)")
            #expect(
                cases.stderr.contains(" columns wide, the terminal \(width); to choose columns:\n    banshictl records public-interest case.list --columns id,lead_id,kind,stage\n    (its columns: id, lead_id,")
                    == (header.count > width), "\(cases.stderr)")
            // By name or by title, in any case, a title's space written as "-"; in the order given.
            let chosen = try await suite.banshictl(["records", "public-interest", "case.list", "--columns", "stage,case,Reply-Due"])
            #expect(chosen.status == 0 && chosen.stderr.isEmpty, "\(chosen)")
            #expect(chosen.stdout.split(separator: "\n").first?.split(separator: " ") == ["STAGE", "CASE", "REPLY", "DUE"])
            #expect(chosen.stdout.contains("closed") && chosen.stdout.contains("2026-06-10"), "\(chosen.stdout)")
            let unknown = try await suite.banshictl(["records", "public-interest", "case.list", "--columns", "case,nope"])
            #expect(unknown.status == 64 && unknown.stdout.isEmpty, "\(unknown)")
            #expect(unknown.stderr.hasPrefix("banshictl: case.list has no column 'nope'; its columns: id (CASE), lead_id (LEAD), kind (KIND)"))
            #expect(try await suite.banshictl(["records", "public-interest", "case.list", "--columns", ","]).status == 64)
        }
    }

    @Test("A CSV import is all or nothing: a bad row is refused with its line number and nothing of the file is written; a good file imports, through banshictl --arg csv=@FILE")
    func csvImport() async throws {
        try await TestSuite.with(services: ["public-interest"], serviceKeys: ["public-interest": Self.keys]) { suite in
            try await suite.start("bus")
            try await suite.start("public-interest")
            let run = Runner(suite, service: "public-interest")
            let river = try await Self.waterSite(run)
            let shop = try await Self.foodSite(run)
            let header = "kind,site_id,sampled_on,nh3n,tp,cod,item,category,substance,value"
            let good = [
                header, "water,\(river.stringValue!),2026-04-01,0.5,0.1,15,,,,", "food,\(shop.stringValue!),2026-04-01,,,,青菜,leafy-vegetables,lead,0.35",
            ]
            let bad = good + ["water,\(river.stringValue!),2026-04-01,0.5,abc,15,,,,"]
            let refused = try await run.reply("samples.import", ["csv": .string(bad.joined(separator: "\n"))])
            #expect(refused.error?.code == .invalidArgument && refused.error?.details["line"] == 4, "\(String(describing: refused.error))")
            #expect(try await run.ok("sample.list")["samples"]?.arrayValue?.isEmpty == true, "nothing of the file was written")
            let file = suite.directory.file("lab.csv")
            try good.joined(separator: "\r\n").write(toFile: file, atomically: true, encoding: .utf8)
            let imported = try await suite.banshictl(["call", "public-interest", "samples.import", "--arg", "csv=@\(file)"])
            #expect(imported.status == 0, "\(imported.stderr)\(imported.stdout)")
            #expect(imported.stdout.contains("\"imported\": 2") && imported.stdout.contains("\"failed\": 1"))
            #expect(imported.stderr.contains("sending lab.csv"))
        }
    }

    @Test("A large evidence file being hashed holds up no other command: a read sent behind its registration is answered first; the registration sent again gets the same answer; at SIGTERM both are still answered and the evidence kept once")
    func hashingHoldsUpNothing() async throws {
        try await TestSuite.with(services: ["public-interest"], serviceKeys: ["public-interest": Self.keys]) { suite in
            try await suite.start("bus")
            let service = try await suite.start("public-interest")
            let run = Runner(suite, service: "public-interest")
            let canteen = try await Self.foodSite(run, canteen: true)
            let lead = try await run.ok(
                "sample.food", ["site_id": canteen, "item": "猪肉", "category": "meat", "substance": "clenbuterol", "value": 0.001])["lead_id"]!
            // 16 MiB: seconds of hashing in a debug build, where a read takes milliseconds.
            let size = 16 << 20
            try FileManager.default.createDirectory(atPath: Self.store(suite), withIntermediateDirectories: true)
            try Data(repeating: 9, count: size).write(to: URL(fileURLWithPath: Self.store(suite) + "/航拍.mp4"))
            let register = CommandRequest(
                id: EventID.next(), command: "evidence.register",
                args: ["lead_id": lead, "kind": "drone-footage", "file": "航拍.mp4", "taken_at": "2026-04-02T03:00:00Z", "place": "食堂", "holder": "张检"])
            let list = CommandRequest(id: EventID.next(), command: "site.list")
            // On one connection, in this order: the registration, a read, and the registration sent again
            // (as after a client's timeout). The service receives them in that order.
            let (context, endpoint, pid) = (suite.context, suite.control("public-interest"), service.pid)
            let (replies, failure) = try await onOwnThread { () throws -> ([CommandReply], String?) in
                let client = try ControlClient(context: context, service: "public-interest", endpoint: endpoint, timeout: .seconds(120))
                for request in [register, list, register] { try client.send(request) }
                var replies: [CommandReply] = []
                do {
                    replies.append(try CommandReply.parse(try client.receive(matching: nil)))
                    // The registration is still hashing: the service is told to stop now, and must finish it.
                    kill(pid, SIGTERM)
                    for _ in 0..<2 { replies.append(try CommandReply.parse(try client.receive(matching: nil))) }
                } catch {
                    return (replies, "\(error)")
                }
                return (replies, nil)
            }
            // Should a reply not come, say which came and what the service logged meanwhile.
            if let failure {
                Issue.record("after the replies to \(replies.map { $0.id ?? "?" }) (the read is \(list.id)): \(failure); the service's log:\n\(service.log)")
                return
            }
            #expect(replies.map(\.id) == [list.id, register.id, register.id], "the read is answered while the file is hashed")
            #expect(try replies[0].get()["sites"]?.arrayValue?.count == 1)
            let registered = try replies[1].get()
            #expect(registered["bytes"] == .int(Int64(size)) && registered["sha256"]?.stringValue?.count == 64)
            #expect(try replies[2].get() == registered, "sent again, the same request gets the same answer")
            try await waitFor { ServiceProcess.hasEnded(service.pid) }
            #expect(service.log.contains("msg=stopped"), "\(service.log)")

            // Started again: the evidence is there, once, with the hash its reply named.
            try await suite.start("public-interest")
            let evidence = try await run.ok("evidence.list")["evidence"]?.arrayValue ?? []
            #expect(evidence.count == 1 && evidence.first?["sha256"] == registered["sha256"], "\(evidence)")
            #expect(try await suite.call("public-interest", register.command, register.args, id: register.id).get() == registered)
        }
    }

    /// Enterprise, children, public interest and the coordinator on the shipped rules.
    static func withRules3And4(_ body: (TestSuite) async throws -> Void) async throws {
        try await TestSuite.with(
            services: ["enterprise", "children", "public-interest", "coordinator"], runtime: "heartbeat_interval_ms = 100",
            serviceKeys: [
                "enterprise": "scan_interval_ms = 0", "children": "scan_interval_ms = 0", "public-interest": keys,
                "coordinator": "routes_file = \"\(TestRepository.path)/config/routes.toml\"\nretry_base_ms = 50\nretry_max_ms = 500",
            ]
        ) { suite in
            for service in ["bus", "enterprise", "children", "public-interest", "coordinator"] { try await suite.start(service) }
            try await body(suite)
        }
    }

    /// The events of `service`'s log of `type`.
    static func logged(_ suite: TestSuite, _ service: String, _ type: String) async throws -> [JSONValue] {
        let events = try await Runner(suite, service: service).ok("events.since", ["after_seq": 0, "limit": 10_000])["events"]?.arrayValue ?? []
        return events.filter { $0["type"]?.stringValue == type }
    }

    @Test("Rules 3 and 4 with their targets down for a while: unsafe canteen food at a known operator flags the enterprise and opens a children's prevention item, each once, in one flow")
    func rules3And4() async throws {
        try await Self.withRules3And4 { suite in
            try await Runner(suite, service: "enterprise").ok(
                "enterprise.register", ["credit_code": .string(Self.operatorCode), "name": "某餐饮管理有限公司", "registered_address": "苏州", "industry": "catering", "size": "small"])
            let run = Runner(suite, service: "public-interest")
            let canteen = try await Self.foodSite(run, canteen: true, code: Self.operatorCode)
            await suite.processes["enterprise"]?.stop()
            await suite.processes["children"]?.stop()
            let sample = try await run.ok("sample.food", ["site_id": canteen, "item": "青菜", "category": "leafy-vegetables", "substance": "lead", "value": 0.9])
            let lead = sample["lead_id"]!
            try await waitFor(.seconds(60)) {
                let pending = try await Runner(suite, service: "coordinator").ok("delivery.list", ["status": "pending"])["deliveries"]?.arrayValue ?? []
                return pending.count == 2 && pending.allSatisfy { ($0["attempts"]?.intValue ?? 0) >= 2 }
            }
            try await suite.start("enterprise")
            try await suite.start("children")
            // The coordinator follows public interest alone here: the only rules in force listen to it.
            try await CoordinatorSystemTests.settled(suite, sources: ["public-interest"])

            let flags = try await Self.logged(suite, "enterprise", "enterprise.risk.flagged")
            #expect(flags.count == 1 && flags.first?["data"]?["source_ref"] == lead)
            let inspections = try await Self.logged(suite, "children", "children.inspection.recorded")
            #expect(inspections.count == 1 && inspections.first?["data"]?["origin_ref"] == lead && inspections.first?["data"]?["venue_type"] == "school-canteen")
            let opened = try #require(try await Self.logged(suite, "public-interest", "public-interest.lead.opened").first)
            let exceeded = try #require(try await Self.logged(suite, "public-interest", "public-interest.sample.exceeded").first)
            #expect(opened["correlationid"] == exceeded["correlationid"] && opened["causationid"] == exceeded["id"], "the lead belongs to the sample's flow")
            #expect(flags.first?["correlationid"] == opened["correlationid"] && inspections.first?["correlationid"] == opened["correlationid"], "one flow")

            // A failing water sample concerns neither rule; an operator the enterprise service does not know is a dead letter with the reason.
            let shop = try await Self.foodSite(run, code: "91440300708461136T")
            try await run.ok("sample.food", ["site_id": shop, "item": "大米", "category": "rice", "substance": "cadmium", "value": 0.5])
            var dead: [JSONValue] = []
            try await waitFor {
                dead = try await Runner(suite, service: "coordinator").ok("dlq.list")["dead"]?.arrayValue ?? []
                return dead.count == 1
            }
            #expect(dead.first?["last_error"]?.stringValue?.contains("no enterprise with credit code 91440300708461136T") == true)
        }
    }

    @Test("Reporting's public-interest indicators equal a hand count of the same inputs")
    func indicatorsByHand() async throws {
        try await TestSuite.with(
            services: ["public-interest", "reporting"], serviceKeys: ["public-interest": Self.keys, "reporting": ReportingSystemTests.reportingKeys()]
        ) { suite in
            for service in ["bus", "public-interest", "reporting"] { try await suite.start(service) }
            let run = Runner(suite, service: "public-interest")
            let river = try await Self.waterSite(run)
            // Water in 2026: two meet class III, one does not → 2/3.
            for tp in [0.1, 0.2, 0.25] {
                try await run.ok("sample.water", ["site_id": river, "nh3n": 0.5, "tp": .double(tp), "cod": 15, "sampled_on": "2026-05-01"])
            }
            // Food: two fail, each followed by its lead → 2/2; one passes and is not counted.
            let shop = try await Self.foodSite(run)
            for value in [0.5, 0.6, 0.1] {
                try await run.ok("sample.food", ["site_id": shop, "item": "菜", "category": "leafy-vegetables", "substance": "lead", "value": .double(value), "sampled_on": "2026-05-02"])
            }
            // Suggestions due in 2026: one answered in time, one overdue → 1/2; one suit brought.
            let leads = try await run.ok("lead.list")["leads"]!.arrayValue!.compactMap { $0["id"] }
            var cases: [JSONValue] = []
            for lead in leads.prefix(2) {
                let id = try await run.ok("case.open", ["lead_id": lead, "kind": "administrative", "agency": "市场监管局", "now": "2026-05-05T02:00:00Z"])["case_id"]!
                try await run.ok("case.suggest", ["case_id": id, "issued_on": "2026-05-10", "now": "2026-05-10T02:00:00Z"])
                cases.append(id)
            }
            try await run.ok("case.reply", ["case_id": cases[0], "acted": true, "replied_on": "2026-06-01", "now": "2026-06-01T02:00:00Z"])
            try await run.ok("deadlines.scan", ["now": "2026-07-11T02:00:00Z"])
            try await run.ok("case.litigate", ["case_id": cases[1], "now": "2026-07-12T02:00:00Z"])
            try await ReportingSystemTests.caughtUp(suite, sources: ["public-interest"])
            // From 2026 to today (the default end): the facts of a command run without `now` fall on today.
            let report = try await Runner(suite, service: "reporting").ok("report", ["program": "public-interest", "from": "2026-01-01"])
            let values = Dictionary(uniqueKeysWithValues: (report["indicators"]?.arrayValue ?? []).map { ($0["id"]!.stringValue!, $0) })
            #expect(values["public-interest.water-meeting-target"]?["numerator"] == 2 && values["public-interest.water-meeting-target"]?["denominator"] == 3)
            #expect(values["public-interest.failed-food-with-lead"]?["numerator"] == 2 && values["public-interest.failed-food-with-lead"]?["denominator"] == 2)
            #expect(values["public-interest.suggestions-answered-in-time"]?["numerator"] == 1 && values["public-interest.suggestions-answered-in-time"]?["denominator"] == 2)
            #expect(values["public-interest.cases-litigated"]?["value"] == 1)
        }
    }
}
