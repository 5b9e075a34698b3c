import BanshiKit
import BanshiTesting
import Children
import Foundation
import Testing

/// The real `banshi-children` over ZeroMQ: whole cases, the law's boundaries that need state, the
/// deadlines, and what subscribers may see of a child.
@Suite("System: the children service")
struct ChildrenSystemTests {
    /// Every member name in `value`, at any depth.
    static func memberNames(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let members): members.keys + members.values.flatMap(memberNames)
        case .array(let items): items.flatMap(memberNames)
        default: []
        }
    }

    /// A child's personal data as an admin enters it; none of it may ever reach an event.
    static let name = "李小明"
    static let idNumber = "110105200803151232"
    static let address = "朝阳区建国路88号3单元502"
    static let schoolName = "向阳花打工子弟学校"
    static let guardianName = "李建国"

    /// A suite with the bus and children, the deadline timer off (tests scan with an explicit `now`).
    static func withChildren(_ body: (TestSuite) async throws -> Void) async throws {
        try await TestSuite.with(
            services: ["children"], runtime: "heartbeat_interval_ms = 50", serviceKeys: ["children": "scan_interval_ms = 0"]
        ) { suite in
            try await suite.start("bus")
            try await suite.start("children")
            try await body(suite)
        }
    }

    @Test("A whole case: register, abuse referral, aid decision recorded, timeline; subscribers never see a name, ID number, address or school")
    func wholeCase() async throws {
        try await Self.withChildren { suite in
            // The kit's conformance check around the whole drive: every event type crossed the bus, each
            // matches its published contract, none carries personal data, and the seq has no gap.
            let conformance = ProgramConformance(
                service: "children", catalog: ChildrenEvents.catalog,
                personal: [
                    Self.name, Self.idNumber, Self.address, Self.schoolName, Self.guardianName, "13800000000", "继父", "11010519800101456X",
                    "王医生", "骨折", "2008-03-15",
                ],
                provenElsewhere: [
                    "children.intervention.overdue": "deadlines test", "children.remedy.overdue": "deadlines test",
                    "children.probation.revoked": "juvenile case test",
                ])
            var drivenChild: JSONValue = .null
            var drivenCase: JSONValue = .null
            let report = try await conformance.check(suite) {
                let run = Runner(suite)

                let school = try await run.ok("school.register", ["name": .string(Self.schoolName), "district": "朝阳区"])["school_id"]!
                let child = try await run.ok(
                    "child.register",
                    [
                        "name": .string(Self.name), "birth_date": "2008-03-15", "household_province": "河南省", "migrant_status": "migrant",
                        "id_number": .string(Self.idNumber), "address": .string(Self.address), "school_id": school,
                        "guardians": [["name": .string(Self.guardianName), "relation": "father", "phone": "13800000000"]],
                    ])["child_id"]!
                #expect(child.stringValue?.hasPrefix("CH-") == true)
                let victimCase = try await run.ok(
                    "victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": "2026-03-01T02:00:00Z"])["case_id"]!
                try await run.ok("intervention.record", ["case_id": victimCase, "now": "2026-03-01T10:00:00Z"])
                let centre = try await run.ok("centre.register", ["name": "朝阳区一站式询问救助中心", "district": "朝阳区", "opened_on": "2025-06-01"])["centre_id"]!
                try await run.ok("interview.record", ["case_id": victimCase, "centre_id": centre, "now": "2026-03-01T11:00:00Z"])
                let referral = try await run.ok("abuse.refer", ["case_id": victimCase, "situation": "由继父长期侵害，邻居报告"])
                #expect(referral["case_id"] == victimCase)
                #expect(try await run.failure("abuse.refer", ["case_id": victimCase, "situation": "again"])?.code == .conflict)
                let request = try await run.ok("legal-aid.request", ["case_id": victimCase])["request_id"]!
                try await run.ok("legal-aid.assign", ["request_id": request, "lawyer_id": "LW-0042"])
                // The decision comes back from the petition service through the coordinator.
                try await run.ok("aid.record", ["case_id": victimCase, "aid_id": "AID-2026-0007", "decision": "approved", "amount": 30000])
                #expect(try await run.failure("aid.record", ["case_id": victimCase, "aid_id": "AID-2026-0008", "decision": "rejected"])?.code == .conflict)
                // Issued on a stated day, so that its follow-up (30 days on) has passed by the scan below whatever the date.
                try await run.ok(
                    "guardianship.issue",
                    ["child_id": child, "kind": "supervise-order", "note": "督促继父履行监护职责", "now": "2026-03-02T00:00:00Z"])
                try await run.ok("legal-education.record", ["school_id": school, "held_on": "2026-03-02", "topic": "防性侵", "attendees": 320, "now": "2026-03-03T00:00:00Z"])

                // The rest of the service's commands, so that every event family crosses the bus below.
                let offender = try await run.ok(
                    "offender-case.register",
                    [
                        "child_id": child, "offence_date": "2025-12-01", "crime_chapter": 5, "charge": "盗窃罪", "likely_sentence_months": 6,
                        "repentance": true, "now": "2026-01-05T00:00:00Z",
                    ])["case_id"]!
                try await run.ok(
                    "offender-case.decide",
                    ["case_id": offender, "probation_months": 6, "police_heard": true, "victim_heard": true, "now": "2026-01-10T00:00:00Z"])
                try await run.ok(
                    "help-education.plan",
                    ["case_id": offender, "measures": "心理辅导", "starts_on": "2026-01-10", "ends_on": "2026-07-10", "partner_procuratorate": "信阳市人民检察院"])
                let finding = try await run.ok(
                    "inspection.record", ["venue_name": "金色年华KTV", "venue_type": "entertainment", "findings": ["minors-admitted", "tobacco-alcohol-sold"]]
                )["finding_ids"]!.arrayValue![0]
                let remedy = try await run.ok("remedy.issue", ["finding_id": finding, "kind": "attention-letter"])["remedy_id"]!
                try await run.ok("remedy.follow-up", ["remedy_id": remedy, "result": "rectified"])
                let report = try await run.ok(
                    "mandatory-report.receive",
                    [
                        "reporter": "王医生 市儿童医院", "sector": "medical", "situation": "多处陈旧性骨折", "child_id": child, "offence_type": "abuse",
                        "now": "2026-03-04T00:00:00Z",
                    ])
                #expect(report["case_id"] != nil)
                try await run.ok("barring-record.add", ["id_number": "11010519800101456X", "kind": "abuse", "court_reference": "(2018)京0105刑初9号"])
                #expect(try await run.ok("employment.inquire", ["employer": "某托育中心", "candidate_id_number": "11010519800101456X"])["hit"] == true)
                let measure = try await run.ok("guardianship.issue", ["child_id": child, "kind": "family-guidance", "note": "家庭教育指导"])["measure_id"]!
                try await run.ok("guardianship.conclude", ["measure_id": measure, "outcome": "completed"])
                #expect(try await run.ok("deadlines.scan", ["now": "2027-01-01T00:00:00Z"])["emitted"]?["probation"] == 1)
                try await run.ok("probation.conclude", ["case_id": offender, "now": "2027-01-01T00:00:00Z"])
                try await run.ok(
                    "mandatory-report.pass-on", ["report_id": report["report_id"]!, "police_station": "南湖派出所", "by": "王检察官"])

                // The admin sees everything, behind the command.
                let record = try await run.ok("child.get", ["child_id": child])
                #expect(record["name"] == .string(Self.name))
                #expect(record["id_number"] == .string(Self.idNumber))
                #expect(record["guardians"]?.arrayValue?.first?["name"] == .string(Self.guardianName))
                let caseRecord = try await run.ok("case.get", ["case_id": victimCase])
                #expect(caseRecord["aid_decision"] == "approved")
                #expect(caseRecord["aid_amount"]?.doubleValue == 30000)
                #expect(caseRecord["interviews"]?.arrayValue?.count == 1)
                #expect(caseRecord["legal_aid_requests"]?.arrayValue?.first?["lawyer_id"] == "LW-0042")
                // Replies carry the declared columns only: no internal flag leaves the service.
                let offenderRecord = try await run.ok("case.get", ["case_id": offender])
                for reply in [record, caseRecord, offenderRecord, try await run.ok("case.list", ["kind": "victim"])] {
                    #expect(Self.memberNames(reply).filter { $0.hasSuffix("_emitted") }.isEmpty, "\(reply.serialized())")
                }
                #expect(caseRecord["intervention_due_at"] != nil && offenderRecord["probation_ends"] != nil)
                // A listing names its columns, and banshictl renders any listing from them.
                let listed = try await run.ok("child.list")
                #expect(listed["columns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
                    "id", "name", "birth_date", "migrant_status", "household_province", "school_id", "registered_at",
                ])
                let table = try await suite.banshictl(["records", "children", "child.list", "--where", "migrant_status=migrant"])
                #expect(table.status == 0, "\(table.stderr)")
                #expect(table.stdout.contains("BORN") && table.stdout.contains(Self.name) && !table.stdout.contains(Self.idNumber))
                let listings = try await suite.banshictl(["records", "children"])
                #expect(listings.stdout.contains("child.list") && listings.stdout.contains("case.list"))
                // The listing read through `call` is JSON, and names the table command with the same filters.
                let called = try await suite.banshictl(["call", "children", "child.list", "migrant_status=migrant", "--arg", "school_id=第一 小学", "limit=5"])
                #expect(called.status == 0 && called.stdout.contains("\"columns\""), "\(called.stderr)")
                #expect(called.stderr.contains(
                    "banshictl: as a table: banshictl records children child.list --where migrant_status=migrant --limit 5 --where 'school_id=第一 小学'"),
                    "\(called.stderr)")

                let timeline = try await run.ok("child.timeline", ["child_id": child])["events"]?.arrayValue ?? []
                #expect(timeline.map { $0["type"]?.stringValue ?? "" }.prefix(9) == [
                    "children.child.registered", "children.victim-case.registered", "children.intervention.recorded",
                    "children.interview.held", "children.abuse.referred", "children.legal-aid.requested", "children.legal-aid.assigned",
                    "children.aid.recorded", "children.guardianship.issued",
                ])
                #expect(timeline.first(where: { $0["type"] == "children.intervention.recorded" })?["data"]?["on_time"] == true)
                (drivenChild, drivenCase) = (child, victimCase)
            }
            #expect(report.problems.isEmpty, "\(report.problems.joined(separator: "\n"))")
            let events = report.events
            let referred = try #require(events.first { $0.type == "children.abuse.referred" })
            #expect(referred.data["case_id"] == drivenCase)
            #expect(referred.data["child_id"] == drivenChild)
            #expect(referred.subject == "case/\(drivenCase.stringValue!)")
        }
    }

    @Test("Conditional non-prosecution over the wire: the 18th birthday, the probation bounds, an objection, revocation and conclusion")
    func juvenileCase() async throws {
        try await Self.withChildren { suite in
            let run = Runner(suite)
            let child = try await run.ok(
                "child.register", ["name": "王某", "birth_date": "2008-03-15", "household_province": "四川省", "migrant_status": "left-behind"])["child_id"]!
            func register(_ offence: String, sentence: Int64 = 6) async throws -> JSONValue {
                try await run.ok(
                    "offender-case.register",
                    [
                        "child_id": child, "offence_date": .string(offence), "crime_chapter": 5, "charge": "盗窃罪",
                        "likely_sentence_months": .int(sentence), "repentance": true, "now": "2026-06-01T00:00:00Z",
                    ])["case_id"]!
            }
            let decide: (JSONValue, [String: JSONValue]) async throws -> Reply = { caseID, extra in
                try await run.reply(
                    "offender-case.decide",
                    ["case_id": caseID, "probation_months": 6, "police_heard": true, "victim_heard": true, "now": "2026-06-10T04:00:00Z"]
                        .merging(extra) { _, new in new })
            }

            let onBirthday = try await register("2026-03-15")
            let dayAfter = try await register("2026-03-16")
            let refused = try await decide(dayAfter, [:])
            #expect(refused.error?.code == .conflict)
            #expect(refused.error?.message.contains("18 or older") == true)
            #expect(try await decide(onBirthday, ["probation_months": 5]).error?.details["field"] == "probation_months")
            #expect(try await decide(onBirthday, ["probation_months": 13]).error?.code == .invalidArgument)
            #expect(try await decide(onBirthday, ["objection": "guardian"]).error?.code == .conflict)
            let decided = try await decide(onBirthday, ["probation_months": 12]).result
            #expect(decided?["probation_ends"] == "2027-06-10")
            #expect(try await decide(onBirthday, [:]).error?.code == .conflict)

            #expect(try await run.failure("probation.conclude", ["case_id": onBirthday, "now": "2027-06-10T12:00:00Z"])?.code == .conflict)
            #expect(try await run.ok("deadlines.scan", ["now": "2027-06-10T12:00:00Z"])["emitted"]?["probation"] == 0)
            #expect(try await run.ok("deadlines.scan", ["now": "2027-06-11T01:00:00Z"])["emitted"]?["probation"] == 1)
            #expect(try await run.ok("probation.conclude", ["case_id": onBirthday, "now": "2027-06-11T01:00:00Z"])["status"] == "not-prosecuted")

            let other = try await register("2026-01-01")
            _ = try await decide(other, [:])
            #expect(try await run.failure("probation.revoke", ["case_id": other, "reason": "bored"])?.code == .invalidArgument)
            #expect(try await run.ok("probation.revoke", ["case_id": other, "reason": "new-crime", "now": "2026-09-01T00:00:00Z"])["status"] == "revoked")
            #expect(try await run.failure("probation.conclude", ["case_id": other, "now": "2027-06-11T01:00:00Z"])?.code == .conflict)

            let plan = try await run.ok(
                "help-education.plan",
                ["case_id": onBirthday, "measures": "每周心理辅导", "starts_on": "2026-06-10", "ends_on": "2026-12-10", "partner_procuratorate": "成都市人民检察院"])
            #expect(plan["plan_id"] != nil)
            let cases = try await run.ok("case.list", ["kind": "offender", "child_id": child])["cases"]?.arrayValue ?? []
            #expect(cases.count == 3)
            #expect(Set(cases.compactMap { $0["status"]?.stringValue }) == ["registered", "not-prosecuted", "revoked"])
        }
    }

    @Test("Deadlines: each overdue event is emitted once, however often the scan runs, and not before it is due")
    func deadlines() async throws {
        try await Self.withChildren { suite in
            let run = Runner(suite)
            let child = try await run.ok(
                "child.register", ["name": "赵某", "birth_date": "2015-05-05", "household_province": "安徽省", "migrant_status": "migrant"])["child_id"]!
            let registered = "2026-04-01T00:00:00Z"
            try await run.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": .string(registered)])
            try await run.ok("victim-case.register", ["child_id": child, "offence_type": "injury", "now": .string(registered)])
            try await run.ok("guardianship.issue", ["child_id": child, "kind": "supervise-order", "note": "督促", "now": .string(registered)])
            let finding = try await run.ok(
                "inspection.record", ["venue_name": "星光网吧", "venue_type": "internet-cafe", "findings": ["minors-admitted"], "now": .string(registered)]
            )["finding_ids"]!.arrayValue![0]
            try await run.ok("remedy.issue", ["finding_id": finding, "kind": "procuratorial-suggestion", "now": .string(registered)])

            let before = try await run.ok("deadlines.scan", ["now": "2026-04-01T23:59:00Z"])["emitted"]
            #expect(before == ["intervention": 0, "guardianship": 0, "remedy": 0, "mandatory-report": 0, "probation": 0])
            let due = try await run.ok("deadlines.scan", ["now": "2026-04-02T00:00:01Z"])["emitted"]
            #expect(due == ["intervention": 1, "guardianship": 0, "remedy": 0, "mandatory-report": 0, "probation": 0])
            let later = try await run.ok("deadlines.scan", ["now": "2026-06-30T00:00:01Z"])["emitted"]
            #expect(later == ["intervention": 0, "guardianship": 1, "remedy": 1, "mandatory-report": 0, "probation": 0])
            let again = try await run.ok("deadlines.scan", ["now": "2026-12-31T00:00:00Z"])["emitted"]
            #expect(again == ["intervention": 0, "guardianship": 0, "remedy": 0, "mandatory-report": 0, "probation": 0])

            let log = try await run.ok("events.since", ["after_seq": 0, "limit": 1000])["events"]?.arrayValue ?? []
            let overdue = log.compactMap { $0["type"]?.stringValue }.filter { $0.hasSuffix(".overdue") }
            #expect(overdue == ["children.intervention.overdue", "children.guardianship.overdue", "children.remedy.overdue"])
        }
    }

    @Test("banshictl children: tables for people, --json for scripts, a clear error for an unknown child")
    func cli() async throws {
        try await Self.withChildren { suite in
            let run = Runner(suite)
            let child = try await run.ok(
                "child.register",
                [
                    "name": "孙某某", "birth_date": "2012-07-01", "household_province": "湖南省", "migrant_status": "migrant",
                    "guardians": [["name": "孙父", "relation": "father"]],
                ])["child_id"]!.stringValue!
            try await run.ok("victim-case.register", ["child_id": .string(child), "offence_type": "neglect"])

            let list = try await suite.banshictl(["children", "list"])
            #expect(list.status == 0)
            #expect(list.stdout.hasPrefix("ID"))
            #expect(list.stdout.contains(child) && list.stdout.contains("孙某某"))

            let show = try await suite.banshictl(["children", "show", child])
            #expect(show.stdout.contains("Guardians") && show.stdout.contains("孙父") && show.stdout.contains("neglect"))

            let timeline = try await suite.banshictl(["children", "timeline", child])
            #expect(timeline.stdout.contains("children.child.registered") && timeline.stdout.contains("children.victim-case.registered"))

            // A table wider than the terminal names the `records` command that chooses its columns.
            let victims = try await suite.banshictl(["children", "cases", "victim", "--child", child])
            let widest = victims.stdout.split(separator: "\n").map(\.count).max() ?? 0
            let width = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
            #expect(victims.status == 0 && victims.stdout.contains("neglect"), "\(victims)")
            #expect(
                victims.stderr.contains(
                    "; to choose columns:\n    banshictl records children case.list --where child_id=\(child) --where kind=victim --limit 100 --columns id,child_id,")
                    == (widest > width), "\(victims.stderr)")
            let json = try await suite.banshictl(["children", "cases", "victim", "--child", child, "--json"])
            let cases = try JSONValue.parse(Array(json.stdout.utf8))["cases"]?.arrayValue
            #expect(cases?.first?["offence_type"] == "neglect")

            let missing = try await suite.banshictl(["children", "show", "CH-NOSUCHCHILD"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("not_found") && missing.stderr.contains("CH-NOSUCHCHILD"))
        }
    }

    @Test("The deadline timer scans on its own: an overdue case is announced once, without anyone calling deadlines.scan")
    func timer() async throws {
        try await TestSuite.with(services: ["children"], serviceKeys: ["children": "scan_interval_ms = 50"]) { suite in
            try await suite.start("bus")
            try await suite.start("children")
            let run = Runner(suite)
            let child = try await run.ok(
                "child.register", ["name": "周某", "birth_date": "2014-01-01", "household_province": "江西省", "migrant_status": "migrant"])["child_id"]!
            let twoDaysAgo = Timestamp.format(Timestamp().addingTimeInterval(-2 * 86_400))
            try await run.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": .string(twoDaysAgo)])
            func overdue() async throws -> Int {
                let log = try await run.ok("events.since", ["after_seq": 0, "limit": 1000])["events"]?.arrayValue ?? []
                return log.filter { $0["type"] == "children.intervention.overdue" }.count
            }
            try await waitFor { try await overdue() == 1 }
            // Five more scans by the timer itself (counted per command in status, so that this test's own
            // status calls do not count); the event stays single.
            func scans() async throws -> Int64 { try await run.ok("status")["commands"]?["deadlines.scan"]?["ok"]?.intValue ?? 0 }
            let scanned = try await scans()
            #expect(scanned >= 1, "the timer ran deadlines.scan")
            try await waitFor { try await scans() >= scanned + 5 }
            #expect(try await overdue() == 1)
        }
    }

    @Test("A mandatory report is passed on to the police (when, which station, by whom) within the configured hours of its receipt or is overdue once; its clocks start at the receipt, which is neither in the future nor over a year old")
    func mandatoryReportPassedOn() async throws {
        try await Self.withChildren { suite in
            let run = Runner(suite)
            let child = try await run.ok(
                "child.register", ["name": "周某", "birth_date": "2014-02-02", "household_province": "河南省", "migrant_status": "migrant"])["child_id"]!
            let recorded = "2026-05-10T08:00:00Z"
            func report(_ received: String?, now: String = recorded) -> [String: JSONValue] {
                var args: [String: JSONValue] = [
                    "reporter": "某医院 急诊科", "sector": "medical", "situation": "疑似性侵", "child_id": child,
                    "offence_type": "sexual-assault", "now": .string(now),
                ]
                if let received { args["received_at"] = .string(received) }
                return args
            }
            // Came in by phone two days before anyone recorded it: both clocks run from the receipt.
            let late = try await run.ok("mandatory-report.receive", report("2026-05-08T08:00:00Z"))
            #expect(late["received_at"] == "2026-05-08T08:00:00.000Z")
            #expect(late["pass_on_due_at"] == "2026-05-09T08:00:00.000Z")
            let lateCase = try await run.ok("case.get", ["case_id": late["case_id"]!])
            #expect(lateCase["intervention_due_at"] == "2026-05-09T08:00:00.000Z")
            #expect(lateCase["registered_at"] == "2026-05-10T08:00:00.000Z")
            let stored = lateCase["mandatory_reports"]?.arrayValue?.first
            #expect(stored?["received_at"] == "2026-05-08T08:00:00.000Z")
            #expect(stored?["recorded_at"] == "2026-05-10T08:00:00.000Z")

            // Received now and passed on two hours later: on time.
            let prompt = try await run.ok("mandatory-report.receive", report(nil))
            let passed = try await run.ok(
                "mandatory-report.pass-on",
                ["report_id": prompt["report_id"]!, "police_station": "南湖派出所", "by": "王检察官", "now": "2026-05-10T10:00:00Z"])
            #expect(passed["on_time"] == true)
            #expect(passed["passed_on_at"] == "2026-05-10T10:00:00.000Z")
            let promptCase = try await run.ok("case.get", ["case_id": prompt["case_id"]!])
            let promptReport = promptCase["mandatory_reports"]?.arrayValue?.first
            #expect(promptReport?["police_station"] == "南湖派出所")
            #expect(promptReport?["passed_on_by"] == "王检察官")
            let again = try await run.failure(
                "mandatory-report.pass-on", ["report_id": prompt["report_id"]!, "police_station": "南湖派出所", "by": "王检察官"])
            #expect(again?.code == .conflict)
            #expect(again?.message.contains("already passed on to the police at 2026-05-10T10:00:00.000Z") == true)

            // The late report is overdue once, however often the scan runs; then passed on, late.
            func scan(_ now: String) async throws -> JSONValue? { try await run.ok("deadlines.scan", ["now": .string(now)])["emitted"]?["mandatory-report"] }
            #expect(try await scan(recorded) == 1)
            #expect(try await scan("2026-05-12T00:00:00Z") == 0)
            let latePass = try await run.ok(
                "mandatory-report.pass-on",
                ["report_id": late["report_id"]!, "police_station": "北湖派出所", "by": "李检察官", "reported_at": "2026-05-10T09:00:00Z", "now": "2026-05-10T11:00:00Z"])
            #expect(latePass["on_time"] == false)
            #expect(latePass["passed_on_at"] == "2026-05-10T09:00:00.000Z")

            // Domain times are bounded, and the error names the argument and the bounds.
            let future = try await run.failure("mandatory-report.receive", report("2026-05-10T08:00:01Z"))
            #expect(future?.code == .invalidArgument)
            #expect(future?.details["field"] == "received_at")
            #expect(future?.message.contains("to now (2026-05-10T08:00:00.000Z)") == true)
            let ancient = try await run.failure("mandatory-report.receive", report("2025-05-08T00:00:00Z"))
            #expect(ancient?.details["field"] == "received_at")
            #expect(ancient?.message.contains("from 2025-05-09T08:00:00.000Z") == true)
            let third = try await run.ok("mandatory-report.receive", report(nil))
            let early = try await run.failure(
                "mandatory-report.pass-on",
                ["report_id": third["report_id"]!, "police_station": "南湖派出所", "by": "王检察官", "reported_at": "2026-05-10T07:59:59Z", "now": "2026-05-10T09:00:00Z"])
            #expect(early?.details["field"] == "reported_at")

            // At the limit: on time to the second, overdue one second after.
            let atLimit = try await run.ok(
                "mandatory-report.pass-on",
                ["report_id": third["report_id"]!, "police_station": "南湖派出所", "by": "王检察官", "reported_at": "2026-05-11T08:00:00Z", "now": "2026-05-11T09:00:00Z"])
            #expect(atLimit["on_time"] == true)
            let fourth = try await run.ok("mandatory-report.receive", report(nil))
            #expect(try await scan("2026-05-11T08:00:00Z") == 0)
            #expect(try await scan("2026-05-11T08:00:01Z") == 1)
            let overLimit = try await run.ok(
                "mandatory-report.pass-on",
                ["report_id": fourth["report_id"]!, "police_station": "南湖派出所", "by": "王检察官", "reported_at": "2026-05-11T08:00:01Z", "now": "2026-05-11T09:00:00Z"])
            #expect(overLimit["on_time"] == false)

            let log = try await run.ok("events.since", ["after_seq": 0, "limit": 1000])["events"]?.arrayValue ?? []
            let types = log.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "children.mandatory-report.overdue" }.count == 2)
            #expect(types.filter { $0 == "children.mandatory-report.passed-on" }.count == 4)
            #expect(!log.map { $0.serialized() }.joined().contains("王检察官"), "who passed it on stays in the service")
        }
    }

    @Test("Mandatory reports open cases, employment inquiries bar a recorded offender, other services open prevention items once")
    func reportsInquiriesPrevention() async throws {
        try await Self.withChildren { suite in
            let run = Runner(suite)
            let child = try await run.ok(
                "child.register", ["name": "陈某", "birth_date": "2016-09-09", "household_province": "贵州省", "migrant_status": "migrant"])["child_id"]!
            let report = try await run.ok(
                "mandatory-report.receive",
                ["reporter": "某小学 班主任", "sector": "education", "situation": "身上多处淤青", "child_id": child, "offence_type": "abuse"])
            let opened = try await run.ok("case.get", ["case_id": report["case_id"]!])
            #expect(opened["offence_type"] == "abuse")
            #expect(opened["mandatory_reports"]?.arrayValue?.count == 1)

            try await run.ok("barring-record.add", ["id_number": "11010519800101456X", "kind": "sexual-assault", "court_reference": "(2019)京0105刑初123号"])
            let hit = try await run.ok("employment.inquire", ["employer": "某培训学校", "candidate_id_number": "11010519800101456x"])
            #expect(hit["must_not_hire"] == true)
            #expect(hit["records"] == ["sexual-assault"])
            #expect(try await run.ok("employment.inquire", ["employer": "某培训学校", "candidate_id_number": "110105200803151232"])["hit"] == false)
            #expect(try await run.failure("employment.inquire", ["employer": "x", "candidate_id_number": "110105200803151233"])?.details["field"] == "candidate_id_number")

            let item: [String: JSONValue] = [
                "origin_service": "public-interest", "origin_ref": "SAMPLE-2026-0031", "venue_name": "某小学食堂",
                "venue_type": "school-canteen", "finding": "unsafe-food",
            ]
            #expect(try await run.ok("prevention.open", item)["finding_ids"]?.arrayValue?.count == 1)
            #expect(try await run.failure("prevention.open", item)?.code == .conflict)

            let log = try await run.ok("events.since", ["after_seq": 0, "limit": 1000])["events"]?.arrayValue ?? []
            let types = log.compactMap { $0["type"]?.stringValue }
            #expect(types.contains("children.employment.barred"))
            #expect(types.filter { $0 == "children.inspection.recorded" }.count == 1)
            #expect(!log.map { $0.serialized() }.joined().contains("11010519800101456X"))
        }
    }
}

extension ChildrenSystemTests {
    @Test("A remedy is late from the day after two calendar months (31 December → end of February), 15 days when urgent; a supervise-guardianship order dated 2021-05-31 is refused, 2021-06-01 issued")
    func calendarRules() async throws {
        try await Self.withChildren { suite in
            let run = Runner(suite)
            let inspection = try await run.ok(
                "inspection.record", ["venue_name": "某网吧", "venue_type": "internet-cafe", "findings": ["minors-admitted"], "now": "2026-12-31T02:00:00Z"])
            let finding = try #require(inspection["finding_ids"]?.arrayValue?.first)
            // Issued on 31 December 2026 (Beijing): due 28 February 2027, late from 1 March 00:00 Beijing (28 February 16:00 UTC).
            let remedy = try await run.ok("remedy.issue", ["finding_id": finding, "kind": "procuratorial-suggestion", "now": "2026-12-31T02:00:00Z"])
            #expect(remedy["follow_up_due"] == "2027-02-28T16:00:00.000Z")
            let urgent = try await run.ok("remedy.issue", ["finding_id": finding, "kind": "procuratorial-suggestion", "urgent": true, "now": "2027-03-01T02:00:00Z"])
            #expect(urgent["follow_up_due"] == "2027-03-16T16:00:00.000Z")

            let child = try await run.ok("child.register", ["name": "某", "birth_date": "2012-01-01", "household_province": "安徽省", "migrant_status": "migrant"])["child_id"]!
            let early = try await run.failure("guardianship.issue", ["child_id": child, "kind": "supervise-order", "note": "督促监护", "issued_on": "2021-05-31"])
            #expect(early?.details["field"] == "issued_on" && early?.message.contains("2021-06-01") == true)
            try await run.ok("guardianship.issue", ["child_id": child, "kind": "supervise-order", "note": "督促监护", "issued_on": "2021-06-01"])
            try await run.ok("guardianship.issue", ["child_id": child, "kind": "family-guidance", "note": "家庭教育指导", "issued_on": "2021-05-31"])
        }
    }
}
