import BanshiKit
import BanshiTesting
import Foundation
import Reporting
import SQLite
import Testing
import ZeroMQ

/// `banshi-reporting` with the real program services: indicators equal to a hand count, history
/// exactly once across a restart, the flagship flow traced, and the HTML report as Chromium shows it.
@Suite("System: reporting")
struct ReportingSystemTests {

    /// Waits until reporting has applied every event each source has logged.
    static func caughtUp(_ suite: TestSuite, sources: [String]) async throws {
        try await waitFor {
            var expected: Int64 = 0
            for source in sources { expected += try await Runner(suite, service: source).ok("status")["last_seq"]?.intValue ?? 0 }
            return try await Runner(suite, service: "reporting").ok("status")["history_events"]?.intValue == expected
        }
    }

    /// Reporting's section; without `follow` it follows every configured service that publishes.
    static func reportingKeys(follow: [String]? = nil) -> String {
        """
        \(follow.map { "follow = [" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? "")
        targets_file = "\(TestRepository.path)/config/targets.toml"
        metrics_interval_ms = 200
        """
    }

    /// Runs `body` with the bus, children (its timer off) and reporting following it, and one child registered.
    static func withChildrenReporting(_ body: (TestSuite, Runner, JSONValue) async throws -> Void) async throws {
        try await TestSuite.with(
            services: ["children", "reporting"],
            serviceKeys: ["children": "scan_interval_ms = 0", "reporting": Self.reportingKeys(follow: ["children"])]
        ) { suite in
            for service in ["bus", "children", "reporting"] { try await suite.start(service) }
            let children = Runner(suite)
            let child = try await children.ok(
                "child.register", ["name": "孙某", "birth_date": "2013-06-01", "household_province": "江西省", "migrant_status": "migrant"])["child_id"]!
            try await body(suite, children, child)
        }
    }

    @Test("A followed source that is down at start costs the others' catch-up no request timeout; it is caught up once it is back")
    func sourceDownAtStart() async throws {
        try await TestSuite.with(
            services: ["children", "lawyer", "petition", "reporting"], runtime: "request_timeout_ms = 20000",
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "reporting": Self.reportingKeys(follow: ["children", "lawyer", "petition"]),
            ]
        ) { suite in
            for service in ["bus", "children", "petition"] { try await suite.start(service) }
            _ = try await Runner(suite).ok(
                "child.register", ["name": "钱某", "birth_date": "2014-03-01", "household_province": "安徽省", "migrant_status": "migrant"])
            let petition = Runner(suite, service: "petition")
            _ = try await petition.ok(
                "aid.apply", ["beneficiary_name": "赵某", "category": "veteran", "procuratorate_id": "xicheng", "situation": "生活困难"])
            let petitionSeq = try await petition.ok("status")["last_seq"]?.intValue ?? 0
            #expect(petitionSeq > 0)
            func applied(_ source: String) async throws -> Int64 {
                try await Runner(suite, service: "reporting").ok("status")["subscriptions"]?[source]?["applied_seq"]?.intValue ?? 0
            }
            // lawyer, down, comes before petition in the first catch-up pass: waiting out its 20 s
            // request timeout there would hold petition's catch-up for as long.
            try await suite.start("reporting")
            try await waitFor(.seconds(10)) { try await applied("petition") >= petitionSeq }
            try await suite.start("lawyer")
            _ = try await Runner(suite, service: "lawyer").ok("firm.register", ["name": "某律所", "region": "苏州"])
            let lawyerSeq = try await Runner(suite, service: "lawyer").ok("status")["last_seq"]?.intValue ?? 0
            #expect(lawyerSeq > 0)
            try await waitFor { try await applied("lawyer") >= lawyerSeq }
        }
    }

    @Test("Indicators reported equal a hand count of the same children and petition inputs; a rebuild gives the same")
    func indicatorsByHand() async throws {
        try await TestSuite.with(
            services: ["children", "petition", "reporting"],
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "reporting": Self.reportingKeys(follow: ["children", "petition"]),
            ]
        ) { suite in
            for service in ["bus", "children", "petition", "reporting"] { try await suite.start(service) }
            let children = Runner(suite)
            let petition = Runner(suite, service: "petition")

            // Centres: one opened in 2025, two in 2026 → 3 by the end of 2026 (target 14), 1 by the end of 2025.
            for (index, opened) in ["2025-05-01", "2026-02-01", "2026-06-01"].enumerated() {
                try await children.ok("centre.register", ["name": .string("中心\(index)"), "district": "南湖区", "opened_on": .string(opened)])
            }
            // Sexual-assault cases in 2026: three with intervention on time, one late → 3/4. An abuse case does not count.
            let child = try await children.ok(
                "child.register", ["name": "某", "birth_date": "2014-01-01", "household_province": "湖北省", "migrant_status": "migrant"])["child_id"]!
            for index in 0..<4 {
                let id = try await children.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": "2026-03-01T00:00:00Z"])["case_id"]!
                try await children.ok("intervention.record", ["case_id": id, "now": .string(index < 3 ? "2026-03-01T10:00:00Z" : "2026-03-03T00:00:00Z")])
            }
            let abuse = try await children.ok("victim-case.register", ["child_id": child, "offence_type": "abuse", "now": "2026-03-01T00:00:00Z"])["case_id"]!
            try await children.ok("intervention.record", ["case_id": abuse, "now": "2026-03-01T01:00:00Z"])
            // Schools: two for migrant children, one covered in 2026; a session at an ordinary school does not count → 1/2.
            let covered = try await children.ok("school.register", ["name": "甲校", "district": "南湖区"])["school_id"]!
            try await children.ok("school.register", ["name": "乙校", "district": "北山区"])
            let ordinary = try await children.ok("school.register", ["name": "丙校", "district": "北山区", "for_migrant_children": false])["school_id"]!
            try await children.ok("legal-education.record", ["school_id": covered, "held_on": "2026-04-01", "topic": "防欺凌", "attendees": 200, "now": "2026-04-02T00:00:00Z"])
            try await children.ok("legal-education.record", ["school_id": ordinary, "held_on": "2026-04-02", "topic": "防欺凌", "attendees": 100, "now": "2026-04-03T00:00:00Z"])
            // Petitions received 1 March 2026: replies on days 4 and 7 (on time), day 8 (late), one never (overdue) → 2/4.
            var petitions: [JSONValue] = []
            for _ in 0..<4 {
                petitions.append(try await petition.ok(
                    "petition.receive",
                    ["petitioner_name": "某", "category": "complaint", "summary": "控告", "procuratorate_id": "nanhu", "now": "2026-03-01T02:00:00Z"]
                )["petition_id"]!)
            }
            for (index, day) in ["2026-03-05", "2026-03-08", "2026-03-09"].enumerated() {
                try await petition.ok("petition.reply", ["petition_id": petitions[index], "kind": "procedural", "content": "已受理", "now": .string("\(day)T02:00:00Z")])
            }
            try await petition.ok("deadlines.scan", ["now": "2026-03-10T02:00:00Z"])
            // Aid: approved at nanhu in 2026, rejected at xicheng in 2026, approved at city in 2025 → 2026: 1/6; 2025: 1/6.
            for (procuratorate, decision, now) in [("nanhu", "approved", "2026-05-01T00:00:00Z"), ("xicheng", "rejected", "2026-05-02T00:00:00Z"), ("city", "approved", "2025-06-01T00:00:00Z")] {
                let aid = try await petition.ok("aid.apply", ["beneficiary_name": "某", "category": "veteran", "procuratorate_id": .string(procuratorate), "situation": "困难"])["aid_id"]!
                var args: [String: JSONValue] = ["aid_id": aid, "decision": .string(decision), "now": .string(now)]
                if decision == "approved" { args["amount"] = 10_000 } else { args["reason"] = "不符合条件" }
                try await petition.ok("aid.decide", args)
            }
            try await Self.caughtUp(suite, sources: ["children", "petition"])

            func values(_ args: [String: JSONValue]) async throws -> [String: JSONValue] {
                let report = try await Runner(suite, service: "reporting").ok("report", args)
                return Dictionary(uniqueKeysWithValues: (report["indicators"]?.arrayValue ?? []).map { ($0["id"]!.stringValue!, $0) })
            }
            let year2026 = try await values(["from": "2026-01-01", "to": "2026-12-31"])
            #expect(year2026["children.interview-centres"]?["value"] == 3)
            #expect(year2026["children.interview-centres"]?["status"] == "behind")
            #expect(year2026["children.early-intervention"]?["value"]?.doubleValue == 0.75)
            #expect(year2026["children.early-intervention"]?["denominator"] == 4)
            #expect(year2026["children.legal-education-coverage"]?["value"]?.doubleValue == 0.5)
            #expect(year2026["petition.procedural-reply-on-time"]?["value"]?.doubleValue == 0.5)
            #expect(year2026["petition.procedural-reply-on-time"]?["numerator"] == 2)
            #expect(year2026["petition.aid-no-blank-spots"]?["numerator"] == 1)
            #expect(year2026["petition.aid-no-blank-spots"]?["denominator"] == 6)
            // The blank spots are named: every procuratorate but nanhu granted nothing in 2026.
            let spots = year2026["petition.aid-no-blank-spots"]?["unmet"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(spots.count == 5 && !spots.contains("nanhu") && spots.contains("city") && spots.contains("xicheng"), "\(spots)")
            let named = try await suite.banshictl(["report", "--program", "petition", "--from", "2026-01-01", "--to", "2026-12-31"])
            #expect(named.stdout.contains("petition.aid-no-blank-spots: not yet ") && named.stdout.contains("xicheng"))
            // Month by month, as a share of the target: a cumulative count is the running total (the centre
            // of 2025 from January on), a rate is that month's alone.
            let series = try await Runner(suite, service: "reporting").ok("report", ["from": "2026-01-01", "to": "2026-12-31"])["events"]
            #expect(series?["buckets"]?.arrayValue?.count == 12)
            let lines = Dictionary(uniqueKeysWithValues: (series?["indicators"]?.arrayValue ?? []).map { ($0["id"]!.stringValue!, $0["share_of_target"]?.arrayValue ?? []) })
            func shares(_ id: String, _ values: [Double?]) -> [JSONValue] {
                let target = year2026[id]?["target"]?.doubleValue ?? .nan
                return values.map { $0.map { .double((($0 / target) * 1000).rounded() / 1000) } ?? .null }
            }
            #expect(lines["children.interview-centres"] == shares("children.interview-centres", [1, 2, 2, 2, 2] + Array(repeating: 3, count: 7)))
            #expect(lines["children.early-intervention"] == shares("children.early-intervention", [nil, nil, 0.75] + Array(repeating: nil, count: 9)))
            #expect(lines["petition.procedural-reply-on-time"] == shares("petition.procedural-reply-on-time", [nil, nil, 0.5] + Array(repeating: nil, count: 9)))
            let year2025 = try await values(["from": "2025-01-01", "to": "2025-12-31"])
            #expect(year2025["children.interview-centres"]?["value"] == 1)
            #expect(year2025["petition.aid-no-blank-spots"]?["numerator"] == 1)
            #expect(year2025["children.early-intervention"]?["value"] == .null)
            #expect(try await values(["program": "petition", "to": "2026-12-31"]).count == 2)
            // Days and times far from now are refused before any arithmetic is done on them.
            #expect(try await Runner(suite, service: "reporting").failure("report", ["from": "2026-01-01", "to": "2999-12-31"])?.details["field"] == "to")
            // The day given is named, not the default that follows it.
            #expect(try await Runner(suite, service: "reporting").failure("report", ["to": "1999-06-30"])?.details["field"] == "to")
            #expect(try await Runner(suite, service: "reporting").failure("report", ["from": "2099-01-01"])?.details["field"] == "from")
            #expect(try await Runner(suite, service: "petition").failure("deadlines.scan", ["now": "9999-12-31T00:00:00Z"])?.details["field"] == "now")

            let rebuilt = try await suite.banshictl(["rebuild"])
            #expect(rebuilt.status == 0)
            #expect(rebuilt.stdout.contains("rebuilt"))
            #expect(!rebuilt.stderr.contains("\r"), "no redrawn bar when stderr is not a terminal")
            let rebuiltJSON = try await suite.banshictl(["rebuild", "--json"])
            #expect(try JSONValue.parse(Array(rebuiltJSON.stdout.utf8))["finished"] == true)
            #expect(rebuiltJSON.stderr.isEmpty)
            let again = try await values(["from": "2026-01-01", "to": "2026-12-31"])
            for (id, indicator) in year2026 { #expect(again[id]?["value"] == indicator["value"], "\(id)") }

            let table = try await suite.banshictl(["report", "--from", "2026-01-01", "--to", "2026-12-31"])
            #expect(table.stdout.contains("children.early-intervention") && table.stdout.contains("75.0 % (3/4)"))
            let csv = try await suite.banshictl(["report", "--format", "csv", "--to", "2026-12-31"])
            let rows = csv.stdout.split(separator: "\r\n")
            #expect(rows.first?.hasPrefix("program,indicator,title,kind,value,target,progress,status") == true)
            #expect(rows.dropFirst().map { $0.split(separator: ",")[1] } == ProgramIndicators.all.map { Substring($0.id) }, "a row per indicator, in order")
            try await waitFor { FileManager.default.fileExists(atPath: Path.join(suite.stateDirectory("reporting"), "banshi.prom")) }
        }
    }

    @Test("Metrics an operator can alert on: per service up, commands by name and outcome, a latency histogram, events appended, lag per source, the coordinator's pending and dead deliveries; Prometheus names, a value and its target under the same labels; promtool accepts the file; banshictl prints the text")
    func metrics() async throws {
        let promtool = try #require(
            ["/usr/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }, "promtool is needed: scripts/setup.sh --test installs it")
        try await TestSuite.with(
            services: ["children", "petition", "coordinator", "reporting"],
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "coordinator": "routes_file = \"\(TestRepository.path)/config/routes.toml\"",
                "reporting": Self.reportingKeys(follow: ["children", "petition", "coordinator"]),
            ]
        ) { suite in
            for service in ["bus", "children", "petition", "coordinator", "reporting"] { try await suite.start(service) }
            let children = Runner(suite)
            try await children.ok("child.register", ["name": "钱某", "birth_date": "2015-03-03", "household_province": "湖南省", "migrant_status": "migrant"])
            _ = try await children.failure("child.register", ["name": "钱某"])
            _ = try await children.failure("no.such.command")
            try await Self.caughtUp(suite, sources: ["children", "petition", "coordinator"])

            let printed = try await suite.banshictl(["call", "reporting", "metrics"])
            #expect(printed.status == 0)
            let text = printed.stdout
            #expect(text.hasPrefix("# HELP banshi_up "), "the text itself, not JSON")
            for line in [
                "banshi_up{service=\"bus\"} 1", "banshi_up{service=\"children\"} 1", "banshi_up{service=\"reporting\"} 1",
                "# TYPE banshi_warnings gauge", "banshi_warnings{service=\"children\"} 0",
                "banshi_commands_total{service=\"children\",command=\"child.register\",outcome=\"ok\"} 1",
                "banshi_commands_total{service=\"children\",command=\"child.register\",outcome=\"invalid_argument\"} 1",
                "banshi_commands_total{service=\"children\",command=\"-\",outcome=\"unknown_command\"} 1",
                "banshi_events_appended_total{service=\"children\"} 1",
                "banshi_subscriber_lag{service=\"reporting\",source=\"children\"} 0",
                "banshi_subscriber_lag{service=\"coordinator\",source=\"children\"} 0",
                "banshi_coordinator_deliveries_pending 0", "banshi_coordinator_dead_letters 0",
                "# TYPE banshi_command_duration_seconds histogram", "banshi_command_duration_seconds_bucket{service=\"children\",le=\"+Inf\"}",
                "banshi_history_events_total{source=\"children\"} 1",
            ] {
                #expect(text.contains(line), "\(line)")
            }
            // A value and its target under the same labels.
            let labels = { (name: String) in
                Set(text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }.map { $0.dropFirst(name.count).prefix { $0 != " " } })
            }
            #expect(!labels("banshi_indicator_ratio").isEmpty)
            #expect(labels("banshi_indicator_ratio") == labels("banshi_indicator_target_ratio"))
            #expect(labels("banshi_indicator_entities") == labels("banshi_indicator_target_entities"))

            // A petition that stops answering is 0, not missing.
            await suite.processes["petition"]?.stop()
            let down = try await Runner(suite, service: "reporting").ok("metrics")["content"]?.stringValue ?? ""
            #expect(down.contains("banshi_up{service=\"petition\"} 0"))

            let file = Path.join(suite.stateDirectory("reporting"), "banshi.prom")
            try await waitFor { FileManager.default.fileExists(atPath: file) }
            let checked = try await TestSuite.runExternal("/bin/sh", ["-c", "\(promtool) check metrics < \(file)"])
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o644, "readable by node_exporter")
        }
    }

    @Test("A month's report counts that month alone; a case whose deadline has not passed is pending, not behind; behind, pending and no data are told apart, in Chinese with English")
    func monthsAndPending() async throws {
        try await Self.withChildrenReporting { suite, children, child in
            // November: one sexual-assault case, intervention on time. December: one registered, nothing yet.
            let november = try await children.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": "2026-11-10T00:00:00Z"])["case_id"]!
            try await children.ok("intervention.record", ["case_id": november, "now": "2026-11-10T05:00:00Z"])
            try await children.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": "2026-12-05T00:00:00Z"])
            try await Self.caughtUp(suite, sources: ["children"])
            func early(_ from: String, _ to: String) async throws -> JSONValue? {
                let report = try await Runner(suite, service: "reporting").ok("report", ["from": .string(from), "to": .string(to), "program": "children"])
                return report["indicators"]?.arrayValue?.first { $0["id"] == "children.early-intervention" }
            }
            let inNovember = try await early("2026-11-01", "2026-11-30")
            #expect(inNovember?["value"] == 1)
            #expect(inNovember?["status"] == "met")
            #expect(inNovember?["status_label"] == "达标 met")
            let inDecember = try await early("2026-12-01", "2026-12-31")
            #expect(inDecember?["value"] == .null, "December does not show November's values")
            #expect(inDecember?["status"] == "pending")
            #expect(inDecember?["status_label"] == "待定 pending")
            #expect(inDecember?["pending"] == 1)
            let year = try await early("2026-01-01", "2026-12-31")
            #expect(year?["value"] == 1 && year?["denominator"] == 1 && year?["pending"] == 1, "the open case is no failure")

            // Its deadline passes without intervention: now it is behind.
            try await children.ok("deadlines.scan", ["now": "2026-12-07T00:00:00Z"])
            try await Self.caughtUp(suite, sources: ["children"])
            let late = try await early("2026-12-01", "2026-12-31")
            #expect(late?["value"] == 0)
            #expect(late?["status"] == "behind")
            #expect(late?["status_label"] == "未达标 behind")

            let table = try await suite.banshictl(["report", "--program", "children", "--from", "2026-12-01", "--to", "2026-12-31"])
            #expect(table.stdout.contains("未达标 behind") && table.stdout.contains("无数据 no data"), "\(table.stdout)")
        }
    }

    @Test("Reporting is stopped, 1,000 more events are driven, it starts again: its history holds every event exactly once, in a file of 16 KiB pages")
    func restart() async throws {
        try await TestSuite.with(services: ["loadgen", "reporting"], serviceKeys: ["reporting": Self.reportingKeys(follow: ["loadgen"])]) { suite in
            for service in ["bus", "loadgen", "reporting"] { try await suite.start(service) }
            try await Runner(suite, service: "loadgen").ok("emit", ["count": 500])
            try await Self.caughtUp(suite, sources: ["loadgen"])
            await suite.processes["reporting"]?.stop()
            for _ in 0..<10 { try await Runner(suite, service: "loadgen").ok("emit", ["count": 100]) }
            try await suite.start("reporting")
            try await Self.caughtUp(suite, sources: ["loadgen"])
            let events = try await Runner(suite, service: "reporting").ok("history.query", ["source": "loadgen", "limit": 10_000])["events"]?.arrayValue ?? []
            #expect(events.count == 1500)
            #expect(Set(events.compactMap { $0["seq"]?.intValue }) == Set(1...1500))
            // Reporting's file is made with 16 KiB pages, a program's with SQLite's 4 KiB.
            for (service, size) in [("reporting", 16_384), ("loadgen", 4_096)] {
                let probe = try DatabaseQueue(path: suite.databasePath(service))
                #expect(try await probe.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == size, "\(service)")
                try probe.close()
            }
        }
    }

    @Test("The flagship flow's trace lists every step in order: referral, aid opened, decided, recorded on the child's case (coordinator and reporting follow their default sources)")
    func trace() async throws {
        try await TestSuite.with(
            services: ["children", "petition", "coordinator", "reporting"],
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "coordinator": "routes_file = \"\(TestRepository.path)/config/routes.toml\"",
                "reporting": Self.reportingKeys(),
            ]
        ) { suite in
            for service in ["bus", "children", "petition", "coordinator", "reporting"] { try await suite.start(service) }
            let (_, caseID) = try await CoordinatorSystemTests.referral(suite)
            var aid: JSONValue?
            try await waitFor { aid = try await CoordinatorSystemTests.aidBySource(suite)[caseID]?.first; return aid != nil }
            // The prosecutor decides once the coordinator has recorded the route as delivered.
            try await waitFor { (try await CoordinatorSystemTests.log(suite, "coordinator")).count == 1 }
            try await Runner(suite, service: "petition").ok("aid.decide", ["aid_id": aid!["id"]!, "decision": "approved", "amount": 30_000, "now": .string(CoordinatorSystemTests.decidedAt)])
            try await waitFor { try await Runner(suite).ok("case.get", ["case_id": .string(caseID)])["aid_decision"] == "approved" }
            try await waitFor { (try await CoordinatorSystemTests.log(suite, "coordinator")).count == 2 }
            try await Self.caughtUp(suite, sources: ["children", "petition", "coordinator"])

            let referral = try await Runner(suite, service: "reporting").ok("history.query", ["type": "children.abuse.referred"])["events"]!.arrayValue![0]
            let flow = referral["correlation_id"]!.stringValue!
            let trace = try await Runner(suite, service: "reporting").ok("trace", ["correlation_id": .string(flow)])
            // In time order: the referral first; a target's event and the coordinator's `delivered` can
            // fall in the same millisecond, which the trace then orders by source.
            let steps = trace["steps"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
            #expect(steps.first == "children.abuse.referred")
            #expect(steps.sorted() == [
                "children.abuse.referred", "petition.aid.opened", "coordinator.route.delivered", "petition.aid.decided", "children.aid.recorded",
                "coordinator.route.delivered",
            ].sorted())
            #expect(trace["services"] == ["children", "coordinator", "petition"])
            let printed = try await suite.banshictl(["trace", flow])
            #expect(printed.status == 0)
            #expect(printed.stdout.contains("6 events across children, coordinator, petition"))
            #expect(printed.stdout.contains("children.aid.recorded"))
            // Durations a person reads: `+840 ms`, `+34.1 s`, `+2 min 5 s`.
            let at = printed.stdout.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: "  ").first }
            #expect(at.count == 6 && at.allSatisfy { $0.wholeMatch(of: /\+(\d+ ms|\d+\.\d s|\d+ min \d+ s)/) != nil }, "\(at)")

            let history = try await suite.banshictl(["history"])
            let widest = history.stdout.split(separator: "\n").max { $0.count < $1.count } ?? ""
            #expect(widest.count <= 110, "history fits a terminal: \(widest)")
            #expect(!history.stdout.contains("FLOW"))
            let wide = try await suite.banshictl(["history", "--wide"])
            #expect(wide.stdout.hasPrefix("TIME") && wide.stdout.contains("FLOW") && wide.stdout.contains(flow))
            let chosen = try await suite.banshictl(["history", "--columns", "seq,type", "--type", "children.abuse.referred"])
            #expect(chosen.stdout.hasPrefix("SEQ  EVENT\n"))
            // Chosen as `records` chooses: by name or title, in any case.
            let byTitle = try await suite.banshictl(["history", "--columns", "Event,FLOW", "--type", "children.abuse.referred"])
            #expect(byTitle.stdout.hasPrefix("EVENT") && byTitle.stdout.contains(flow), "\(byTitle)")
            let unknown = try await suite.banshictl(["history", "--columns", "seq,nope"])
            #expect(unknown.status == 64 && unknown.stderr.contains("no column 'nope'; choose from time (TIME)"), "\(unknown)")

            // A record's subject, as the events name it, traces every flow that touched the record:
            // the case's registration, then the referral.
            let subject = referral["subject"]!.stringValue!
            let bySubject = try await suite.banshictl(["trace", subject])
            #expect(bySubject.status == 0 && bySubject.stdout.hasPrefix("\(subject): 2 flows\n"), "\(bySubject)")
            // The registration, a flow of one event, is a row; the referral's flow a trace.
            #expect(bySubject.stdout.contains("1 event, a flow of its own:\nTIME ") && bySubject.stdout.contains("children.victim-case.registered"))
            #expect(bySubject.stdout.contains("flow \(flow): 6 events across"), "\(bySubject)")
            let json = try JSONValue.parse(Array(try await suite.banshictl(["trace", subject, "--json"]).stdout.utf8))
            #expect(json["subject"]?.stringValue == subject && json["flows"]?.arrayValue?.last?["correlation_id"]?.stringValue == flow)
            // The record's id alone, as a person holds it, finds the same flows.
            let recordID = String(subject.split(separator: "/").last!)
            let byID = try await suite.banshictl(["trace", recordID])
            #expect(byID.status == 0 && byID.stdout == bySubject.stdout, "\(byID)")
            // So does a delivery's id, as the coordinator's listings show it: the flow it routed.
            let delivery = try await Runner(suite, service: "coordinator").ok("delivery.list", ["rule_id": "abuse-referral-opens-aid"])
            let deliveryID = try #require(delivery["deliveries"]?.arrayValue?.first?["id"]?.stringValue)
            let byDelivery = try await suite.banshictl(["trace", deliveryID])
            #expect(byDelivery.status == 0 && byDelivery.stdout.contains("flow \(flow): 6 events across"), "\(byDelivery)")
            // One event, as `events tail` and `history` show it (SERVICE:SEQ) or by its id: the flow it is a step of.
            let seq = try #require(referral["seq"]?.intValue)
            let byPosition = try await suite.banshictl(["trace", "children:\(seq)"])
            #expect(byPosition.status == 0, "\(byPosition)")
            #expect(byPosition.stdout.hasPrefix("children:\(seq) (children.abuse.referred) is step 1 of 6 of its flow\n\nflow \(flow): 6 events across"), "\(byPosition)")
            // As `events tail` prints it, too.
            #expect(try await suite.banshictl(["trace", "children#\(seq)"]).stdout == byPosition.stdout.replacingOccurrences(of: "children:", with: "children#"))
            let decided = try #require(try await CoordinatorSystemTests.log(suite, "petition").first { $0["type"] == "petition.aid.decided" })
            let eventID = try #require(decided["id"]?.stringValue)
            let byEventID = try await suite.banshictl(["trace", eventID])
            #expect(byEventID.status == 0 && byEventID.stdout.contains("(petition.aid.decided) is step ") && byEventID.stdout.contains("flow \(flow): 6 events"), "\(byEventID)")
            let byEventJSON = try JSONValue.parse(Array(try await suite.banshictl(["trace", eventID, "--json"]).stdout.utf8))
            #expect(byEventJSON["correlation_id"]?.stringValue == flow)
            let noEvent = try await suite.banshictl(["trace", "children:999999"])
            #expect(noEvent.status == 1 && noEvent.stderr.contains("no event children:999999 in the history"), "\(noEvent)")
            let seqAlone = try await Runner(suite, service: "reporting").failure("history.query", ["seq": 1])
            #expect(seqAlone?.details["field"] == "source", "\(String(describing: seqAlone))")
            let neither = try await suite.banshictl(["trace", "VC-NOTHING"])
            #expect(neither.status == 1 && neither.stderr.contains("nor is it a record any event names"), "\(neither)")
        }
    }

    @Test("The HTML report is one self-contained file that headless Chromium renders with its charts")
    func htmlInChromium() async throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let browser = try #require(chromium, "headless Chromium is needed: scripts/setup.sh --test installs it")
        try await Self.withChildrenReporting { suite, children, child in
            // Cases month by month in 2026, most with intervention on time, some late: lines and bars to see.
            for month in 1...10 {
                for index in 0..<3 {
                    let day = String(format: "2026-%02d-10T00:00:00Z", month)
                    let id = try await children.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault", "now": .string(day)])["case_id"]!
                    let late = (month + index) % 4 == 0
                    try await children.ok("intervention.record", ["case_id": id, "now": .string(String(format: "2026-%02d-1%dT00:00:00Z", month, late ? 3 : 0))])
                }
            }
            try await children.ok("centre.register", ["name": "中心", "district": "南湖区", "opened_on": "2026-05-01"])
            try await Self.caughtUp(suite, sources: ["children"])
            let file = suite.directory.file("report.html")
            let written = try await suite.banshictl(["report", "--format", "html", "--from", "2026-01-01", "--to", "2026-12-31", "--output", file])
            #expect(written.status == 0)
            let html = try String(contentsOfFile: file, encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.components(separatedBy: "<svg").count - 1 == 2)
            #expect(html.contains("1月 Jan") && html.contains("12月 Dec") && html.contains("CST"))
            #expect(!html.contains(">coordinator<") && !html.contains(">loadgen<"), "the chart shows program indicators only")
            #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))

            let screenshot = suite.directory.file("report.png")
            let render = try await TestSuite.runExternal(
                browser,
                ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,2600", "--screenshot=\(screenshot)", "file://\(file)"],
                timeout: .seconds(90))
            #expect(render.status == 0, "\(render.stderr)")
            let check = try await TestSuite.runExternal(
                "/usr/bin/env", ["python3", "\(TestRepository.path)/scripts/check_screenshot.py", screenshot], timeout: .seconds(60))
            #expect(check.status == 0, "the screenshot does not show the charts: \(check.stdout)")
        }
    }

    @Test("A forged seq applied by reporting (CURVE off) is replaced by the source's copy when the real one arrives: one alarm, the history and its counts hold the genuine events only")
    func forgedSeqReplaced() async throws {
        try await TestSuite.with(
            services: ["loadgen", "reporting"], runtime: DurableDeliverySystemTests.fastHeartbeat,
            serviceKeys: ["reporting": Self.reportingKeys(follow: ["loadgen"])], curve: false
        ) { suite in
            for service in ["bus", "loadgen", "reporting"] { try await suite.start(service) }
            let reporting = Runner(suite, service: "reporting")
            /// The history's loadgen events: (seq, forged).
            func history() async throws -> [String] {
                try await reporting.ok("history.query", ["source": "loadgen"])["events"]?.arrayValue?
                    .map { "\($0["seq"]?.intValue ?? 0) \($0["data"]?["forged"] == true ? "forged" : "genuine")" } ?? []
            }
            let forger = try Socket(suite.context, .pub)
            try forger.setLinger(.zero)
            try forger.connect(suite.publishEndpoint)
            let forged = try HardeningSystemTests.forgedEvent(seq: 1, id: "forged-seq-1")
            try await waitFor {
                try forger.send(parts: forged)
                return try await history() == ["1 forged"]
            }

            try await Runner(suite, service: "loadgen").ok("emit", ["count": 2])
            try await waitFor { try await history() == ["1 genuine", "2 genuine"] }
            let status = try await reporting.ok("status")
            #expect(status["subscriptions"]?["loadgen"]?["integrity_alarms"] == 1)
            #expect(status["history_events"] == 2, "the forged row was replaced, not counted beside the genuine ones")
            let metrics = try await reporting.ok("metrics")["content"]?.stringValue ?? ""
            #expect(metrics.contains("banshi_history_events_total{source=\"loadgen\"} 2"))
            #expect(metrics.contains("banshi_history_last_seq{source=\"loadgen\"} 2"))
        }
    }
}
