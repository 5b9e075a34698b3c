import BanshiKit
import BanshiTesting
import Foundation
import Lawyer
import SQLite
import Testing

/// The real `banshi-lawyer` over ZeroMQ: the program's whole drive and conformance, rule 2 both ways
/// through the coordinator (with the lawyer service down, and with no lawyer free), and reporting's
/// lawyer indicators against a hand count.
@Suite("System: the lawyer service")
struct LawyerSystemTests {
    static let lawyerKeys = "scan_interval_ms = 0\ncalendar_file = \"\(TestRepository.path)/config/calendar.toml\""

    /// Registers a firm and a lawyer (a duty lawyer with `capacity` when given); returns the lawyer's id.
    @discardableResult
    static func lawyer(_ run: Runner, licence: String, capacity: Int64? = nil) async throws -> JSONValue {
        let firm = try await run.ok("firm.register", ["name": .string("律所\(licence)"), "region": "苏州"])["firm_id"]!
        var args: [String: JSONValue] = ["name": "周律师", "licence": .string(licence), "firm_id": firm]
        if let capacity { args["duty"] = true; args["capacity"] = .int(capacity) }
        return try await run.ok("lawyer.register", args)["lawyer_id"]!
    }

    @Test("A calendar that lacks the year under way: the service warns at start naming the file and the year, status shows where dating stops, and a file review is refused as unavailable")
    func calendarRunsOut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let today = CalendarDate(Timestamp())
        let lastYear = today.year - 1
        let calendar = directory.file("calendar.toml")
        try "[years.\(lastYear)]\nholidays = [\"\(lastYear)-01-01\"]\n".write(toFile: calendar, atomically: true, encoding: .utf8)
        try await TestSuite.with(services: ["lawyer"], serviceKeys: ["lawyer": "scan_interval_ms = 0\ncalendar_file = \"\(calendar)\""]) { suite in
            let run = Runner(suite, service: "lawyer")
            let status = try await run.startWarned(["the working-day calendar \(calendar) has no \(today.year)", "are refused (unavailable) from today"])
            let shown = status["calendar"]
            // The same warning in `status`, and under banshictl status's tables, for an operator who reads no log.
            let warning = "the working-day calendar \(calendar) has no \(today.year): file reviews are refused (unavailable) from today"
            #expect(status["warnings"]?.arrayValue?.first?.stringValue?.hasPrefix(warning) == true, "\(status["warnings"] ?? .null)")
            #expect(HardeningSystemTests.logged(suite, "lawyer", ["level=info", "database created", "migrations="]), "a new file says so")
            let printed = try await suite.banshictl(["status"])
            #expect(printed.stdout.replacingOccurrences(of: "\n    ", with: " ").contains("lawyer: WARNING: \(warning)"), "\(printed.stdout)")
            #expect(shown?["file"] == .string(calendar) && shown?["years"] == [.int(Int64(lastYear))])
            // (Midnight in Beijing may pass between the two readings.)
            #expect([today.description, today.adding(days: 1).description].contains(shown?["refused_from"]?.stringValue ?? ""), "\(shown ?? .null)")
            let lawyer = try await Self.lawyer(run, licence: "13205200810000009")
            let refused = try await run.failure("file-review.request", ["lawyer_id": lawyer, "case_number": "x"])
            #expect(refused?.code == .unavailable && refused?.message.contains("has no \(today.year)") == true)
        }
    }

    @Test("A database an older release left is migrated at start and the log says so (before, which migrations; after, how long): lawyer-v2 dates the tasks already stored")
    func upgrade() async throws {
        try await TestSuite.with(services: ["lawyer"], serviceKeys: ["lawyer": Self.lawyerKeys]) { suite in
            // The file as the release before lawyer-v2 left it: a meeting and its task.
            try FileManager.default.createDirectory(
                atPath: suite.stateDirectory("lawyer"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let queue = try DatabaseQueue(path: suite.databasePath("lawyer"))
            try ServiceDatabase.migrator(LawyerService.definition.migrations).migrate(queue, upTo: "lawyer-v1")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO meeting (id, held_on, parties, summary) VALUES ('JM-OLD', '2026-02-20', '司法局', 'x')")
                try db.execute(
                    sql: """
                        INSERT INTO task (id, meeting_id, item, department, deadline, measure, status, escalate_on, escalate_to, escalate_every_days)
                        VALUES ('TK-OLD', 'JM-OLD', 'x', 'x', '2030-06-30', 'x', 'open', '2030-06-30', 'x', 7)
                        """)
            }
            try queue.close()
            try await suite.start("bus")
            try await suite.start("lawyer")
            try await waitFor { HardeningSystemTests.logged(suite, "lawyer", ["level=notice", "database migrating", "migrations=lawyer-v2"]) }
            try await waitFor { HardeningSystemTests.logged(suite, "lawyer", ["level=notice", "database migrated", "migrations=lawyer-v2", "seconds="]) }
            let tasks = try await Runner(suite, service: "lawyer").ok("task.list")["tasks"]?.arrayValue ?? []
            #expect(tasks.map { $0["created_on"] } == ["2026-02-20"])
            let early = try await Runner(suite, service: "lawyer").failure("task.done", ["task_id": "TK-OLD", "done_on": "2026-02-19"])
            #expect(early?.message == "done_on 2026-02-19 is before the task was created (2026-02-20)")
        }
    }

    @Test("The whole program over the wire: firms, opinions, complaints, file reviews (cross-region, sealed record refused), a joint meeting's tasks with milestones, follow-ups and escalation once per interval, duty lawyers; every event type in contract")
    func wholeProgram() async throws {
        try await TestSuite.with(services: ["lawyer"], serviceKeys: ["lawyer": Self.lawyerKeys]) { suite in
            try await suite.start("bus")
            try await suite.start("lawyer")
            let run = Runner(suite, service: "lawyer")
            let conformance = ProgramConformance(
                service: "lawyer", catalog: LawyerEvents.catalog,
                personal: ["周律师", "13205200810123456", "看守所拒绝会见", "希望加快阅卷", "苏检刑诉〔2026〕5号"])
            let report = try await conformance.check(suite) {
                let lawyer = try await Self.lawyer(run, licence: "13205200810123456", capacity: 2)
                let firm = try await run.ok("firm.list")["firms"]!.arrayValue!.first!["id"]!
                try await run.ok("visit.record", ["firm_id": firm, "procuratorate": "city", "notes": "听取律师意见"])
                let opinion = try await run.ok("opinion.receive", ["lawyer_id": lawyer, "topic": "practice-rights", "content": "希望加快阅卷", "received_on": "2026-02-02"])["opinion_id"]!
                #expect(
                    try await run.failure("opinion.respond", ["opinion_id": opinion, "response": "x", "responded_by": "x", "responded_on": "2026-02-01"])?.message
                        == "responded_on 2026-02-01 is before the opinion was received (2026-02-02)")
                try await run.ok("opinion.respond", ["opinion_id": opinion, "response": "已推行互联网阅卷", "responded_by": "案管办"])
                #expect(try await run.failure("lawyer.register", ["name": "x", "licence": "123", "firm_id": firm])?.details["field"] == "licence")

                // A complaint handled on its due day is in time; another is overdue the day after, once.
                let complaint = try await run.ok(
                    "complaint.receive", ["lawyer_id": lawyer, "kind": "meeting", "description": "看守所拒绝会见", "now": "2026-03-02T02:00:00Z"])
                #expect(complaint["due_on"] == "2026-03-09")
                try await run.ok("complaint.assign", ["complaint_id": complaint["complaint_id"]!, "department": "第一检察部"])
                #expect(try await run.ok(
                    "complaint.handle", ["complaint_id": complaint["complaint_id"]!, "outcome": "已纠正", "now": "2026-03-09T02:00:00Z"])["on_time"] == true)
                try await run.ok("complaint.receive", ["lawyer_id": lawyer, "kind": "file-review", "description": "x", "now": "2026-03-02T02:00:00Z"])
                #expect(try await run.ok("deadlines.scan", ["now": "2026-03-09T08:00:00Z"])["emitted"]?["complaint"] == 0)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-03-10T00:00:00Z"])["emitted"]?["complaint"] == 1)

                // File review: Friday 13 February 2026 → due Wednesday 25 February (the working Saturday counts, the festival does not).
                let review = try await run.ok(
                    "file-review.request",
                    ["lawyer_id": lawyer, "case_number": "苏检刑诉〔2026〕5号", "partner_region": "shanghai", "partner_procuratorate": "上海市青浦区人民检察院", "now": "2026-02-13T02:00:00Z"])
                #expect(review["due_on"] == "2026-02-25")
                let due = try await run.ok("file-review.due", ["now": "2026-02-25T02:00:00Z"])
                #expect(due["due_today"]?.arrayValue?.count == 1 && due["overdue"]?.arrayValue?.isEmpty == true)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-02-26T00:00:00Z"])["emitted"]?["file_review"] == 1)
                #expect(try await run.ok("file-review.arrange", ["review_id": review["review_id"]!, "now": "2026-02-26T02:00:00Z"])["on_time"] == false)
                let sealed = try await run.ok(
                    "file-review.request", ["lawyer_id": lawyer, "case_number": "未检2025-1", "sealed_juvenile_record": true, "now": "2026-03-02T02:00:00Z"])
                #expect(sealed["status"] == "refused" && sealed["reason"] == "sealed-juvenile-record")
                #expect(try await run.failure("file-review.arrange", ["review_id": sealed["review_id"]!])?.code == .conflict)
                #expect(try await run.failure("file-review.request", ["lawyer_id": lawyer, "case_number": "x", "partner_region": "mars", "partner_procuratorate": "x"])?.details["field"] == "partner_region")

                // A joint meeting's resolutions become tasks; an overdue one is escalated once per 7-day interval, not per scan.
                let meeting = try await run.ok(
                    "meeting.record",
                    [
                        "parties": ["司法局", "看守所", "律师协会"], "summary": "律师会见难", "now": "2026-03-01T02:00:00Z",
                        "resolutions": [
                            ["item": "看守所增设会见室", "department": "第一检察部", "deadline": "2026-04-30", "measure": "协调增设两间会见室"],
                            ["item": "阅卷预约系统", "department": "案管办", "deadline": "2026-03-31", "measure": "上线预约"],
                        ],
                    ])
                let tasks = meeting["tasks"]!.arrayValue!
                // A deadline in the past is refused naming the argument, or the resolution, that holds it.
                let late = try await run.failure(
                    "task.create", ["item": "x", "department": "x", "deadline": "2026-02-20", "measure": "x", "now": "2026-03-01T02:00:00Z"])
                #expect(late?.details["field"] == "deadline")
                #expect(late?.message == "deadline is a day (YYYY-MM-DD) from today (2026-03-01) to ten years on, not '2026-02-20'")
                let lateResolution = try await run.failure(
                    "meeting.record",
                    [
                        "parties": ["司法局"], "summary": "x", "now": "2026-03-01T02:00:00Z",
                        "resolutions": [["item": "x", "department": "x", "deadline": "2026-02-20", "measure": "x"]],
                    ])
                #expect(lateResolution?.details["field"] == "resolutions[0]")
                #expect(lateResolution?.message.hasPrefix("resolutions[0].deadline is a day") == true)
                let milestone = try await run.ok("milestone.add", ["task_id": tasks[0], "title": "选址", "due_on": "2026-03-20", "now": "2026-03-01T02:00:00Z"])["milestone_id"]!
                // No step is dated before its record began: the milestone's day, the meeting's for its tasks.
                let early = try await run.failure("milestone.done", ["milestone_id": milestone, "done_on": "2026-02-28", "now": "2026-03-19T02:00:00Z"])
                #expect(early?.code == .invalidArgument && early?.details["field"] == "done_on")
                #expect(early?.message == "done_on 2026-02-28 is before the milestone was added (2026-03-01)")
                try await run.ok("milestone.done", ["milestone_id": milestone, "now": "2026-03-19T02:00:00Z"])
                let beforeMeeting = try await run.failure(
                    "task.follow-up", ["task_id": tasks[0], "note": "x", "noted_on": "2026-02-27", "now": "2026-03-19T02:00:00Z"])
                #expect(beforeMeeting?.message == "noted_on 2026-02-27 is before the task was created (2026-03-01)")
                #expect(try await run.failure("task.done", ["task_id": tasks[0], "done_on": "2026-02-27", "now": "2026-03-19T02:00:00Z"])?.details["field"] == "done_on")
                try await run.ok("milestone.add", ["task_id": tasks[1], "title": "测试", "due_on": "2026-03-15", "now": "2026-03-01T02:00:00Z"])
                // A milestone due on 15 March: not overdue that day, overdue the next, once.
                #expect(try await run.ok("deadlines.scan", ["now": "2026-03-15T08:00:00Z"])["emitted"]?["milestone"] == 0)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-03-16T00:00:00Z"])["emitted"]?["milestone"] == 1)
                #expect(try await run.ok("deadlines.scan", ["now": "2026-03-17T00:00:00Z"])["emitted"]?["milestone"] == 0)
                try await run.ok("task.start", ["task_id": tasks[0]])
                try await run.ok("task.follow-up", ["task_id": tasks[0], "note": "已到现场督促", "now": "2026-03-25T02:00:00Z"])
                try await run.ok("task.done", ["task_id": tasks[0], "now": "2026-04-20T02:00:00Z"])
                #expect(try await run.failure("task.start", ["task_id": tasks[0]])?.code == .conflict)
                func escalations(_ now: String) async throws -> JSONValue? { try await run.ok("deadlines.scan", ["now": .string(now)])["emitted"]?["escalation"] }
                #expect(try await escalations("2026-03-31T08:00:00Z") == 0, "due today is not overdue")
                #expect(try await escalations("2026-04-01T00:00:00Z") == 1)
                #expect(try await escalations("2026-04-03T00:00:00Z") == 0)
                #expect(try await escalations("2026-04-07T15:00:00Z") == 0, "six days on: still within the interval")
                #expect(try await escalations("2026-04-08T00:00:00Z") == 1, "seven days on: escalated again")
                #expect(try await escalations("2026-04-08T05:00:00Z") == 0)
                try await run.ok("task.drop", ["task_id": tasks[1], "reason": "并入省院统一平台"])

                // Duty lawyers: the roster, an assignment, closing it.
                let assigned = try await run.ok("duty-lawyer.assign", ["source_service": "children", "source_ref": "LA-TEST1", "case_ref": "VC-TEST1"])
                #expect(assigned["lawyer_id"] == lawyer)
                #expect(try await run.failure("duty-lawyer.assign", ["source_service": "children", "source_ref": "LA-TEST1"])?.code == .conflict)
                try await run.ok("duty-assignment.close", ["assignment_id": assigned["assignment_id"]!])
                try await run.ok("duty-lawyer.set", ["lawyer_id": lawyer, "available": false])
                #expect(try await run.failure("duty-lawyer.assign", ["source_service": "children", "source_ref": "LA-TEST2"])?.code == .unavailable)
            }
            #expect(report.problems.isEmpty, "\(report.problems.joined(separator: "\n"))")
            let book = try await suite.banshictl(["records", "lawyer", "task.list"])
            #expect(book.status == 0 && book.stdout.contains("ESC.") && book.stdout.contains("dropped"))
        }
    }

    /// Children, lawyer, coordinator (and reporting, for the trace) on the shipped rules.
    static func withRule2(coordinatorKeys: String = "", _ body: (TestSuite) async throws -> Void) async throws {
        try await TestSuite.with(
            services: ["lawyer", "children", "coordinator", "reporting"], runtime: "heartbeat_interval_ms = 100",
            serviceKeys: [
                "lawyer": lawyerKeys, "children": "scan_interval_ms = 0",
                "coordinator": "routes_file = \"\(TestRepository.path)/config/routes.toml\"\nretry_base_ms = 50\nretry_max_ms = 500\n\(coordinatorKeys)",
                "reporting": ReportingSystemTests.reportingKeys(),
            ]
        ) { suite in
            for service in ["bus", "lawyer", "children", "coordinator", "reporting"] { try await suite.start(service) }
            try await body(suite)
        }
    }

    /// A child victim's legal-aid request; returns (case id, request id).
    static func legalAidRequest(_ suite: TestSuite) async throws -> (case: String, request: String) {
        let children = Runner(suite)
        let child = try await children.ok(
            "child.register", ["name": "受害儿童", "birth_date": "2014-06-01", "household_province": "河南省", "migrant_status": "migrant"])["child_id"]!
        let victimCase = try await children.ok("victim-case.register", ["child_id": child, "offence_type": "sexual-assault"])["case_id"]!
        let request = try await children.ok("legal-aid.request", ["case_id": victimCase])["request_id"]!
        return (victimCase.stringValue!, request.stringValue!)
    }

    /// The lawyer on the child's legal-aid request, once recorded.
    static func recordedLawyer(_ suite: TestSuite, _ caseID: String) async throws -> String? {
        let record = try await Runner(suite).ok("case.get", ["case_id": .string(caseID)])
        return record["legal_aid_requests"]?.arrayValue?.first?["lawyer_id"]?.stringValue
    }

    @Test("Rule 2 both ways: a child victim's legal-aid request gets the least-loaded duty lawyer, recorded on the child's case, one correlationid, and banshictl trace shows it")
    func rule2() async throws {
        try await Self.withRule2 { suite in
            let lawyerRun = Runner(suite, service: "lawyer")
            let busy = try await Self.lawyer(lawyerRun, licence: "13205200810000001", capacity: 5)
            let free = try await Self.lawyer(lawyerRun, licence: "13205200810000002", capacity: 5)
            try await lawyerRun.ok("duty-lawyer.assign", ["source_service": "public-interest", "source_ref": "X-1"])  // one open assignment each way round
            let first = try await lawyerRun.ok("assignment.list")["assignments"]!.arrayValue!.first!["lawyer_id"]!
            let idle = first == busy ? free : busy
            let (caseID, requestID) = try await Self.legalAidRequest(suite)
            var lawyer: String?
            try await waitFor(.seconds(20)) { lawyer = try await Self.recordedLawyer(suite, caseID); return lawyer != nil }
            #expect(lawyer == idle.stringValue, "the least-loaded lawyer")
            try await CoordinatorSystemTests.settled(suite, sources: ["children", "lawyer"])
            let assignments = try await lawyerRun.ok("assignment.list", ["source_service": "children"])["assignments"]!.arrayValue!
            #expect(assignments.count == 1 && assignments.first?["source_ref"] == .string(requestID))

            try await ReportingSystemTests.caughtUp(suite, sources: ["children", "lawyer", "coordinator"])
            let requested = try await Runner(suite, service: "reporting").ok("history.query", ["type": "children.legal-aid.requested"])["events"]!.arrayValue![0]
            let flow = requested["correlation_id"]!.stringValue!
            let trace = try await Runner(suite, service: "reporting").ok("trace", ["correlation_id": .string(flow)])
            // In time order: the request first; the coordinator's `delivered` and the children service's
            // `assigned` can fall in the same millisecond, which the trace then orders by source.
            let steps = trace["steps"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
            #expect(steps.first == "children.legal-aid.requested")
            #expect(steps.sorted() == [
                "children.legal-aid.requested", "lawyer.duty-lawyer.assigned", "coordinator.route.delivered", "children.legal-aid.assigned",
                "coordinator.route.delivered",
            ].sorted())
            let printed = try await suite.banshictl(["trace", flow])
            #expect(printed.status == 0 && printed.stdout.contains("lawyer.duty-lawyer.assigned") && printed.stdout.contains("children.legal-aid.assigned"))
        }
    }

    @Test("The lawyer service is down while a request is pending: the duty lawyer is assigned exactly once when it is back")
    func lawyerDown() async throws {
        try await Self.withRule2 { suite in
            try await Self.lawyer(Runner(suite, service: "lawyer"), licence: "13205200810000003", capacity: 3)
            await suite.processes["lawyer"]?.stop()
            let (caseID, _) = try await Self.legalAidRequest(suite)
            try await waitFor(.seconds(60)) {
                let pending = try await Runner(suite, service: "coordinator").ok("delivery.list", ["status": "pending"])["deliveries"]?.arrayValue ?? []
                return (pending.first?["attempts"]?.intValue ?? 0) >= 2
            }
            try await suite.start("lawyer")
            try await waitFor { try await Self.recordedLawyer(suite, caseID) != nil }
            try await CoordinatorSystemTests.settled(suite, sources: ["children", "lawyer"])
            #expect(try await Runner(suite, service: "lawyer").ok("assignment.list", ["source_service": "children"])["assignments"]?.arrayValue?.count == 1)
        }
    }

    @Test("No duty lawyer free: the route retries, lands in the dead-letter list with that reason, and is delivered from there once a lawyer is added")
    func noLawyer() async throws {
        try await Self.withRule2(coordinatorKeys: "max_attempts = 3") { suite in
            let (caseID, _) = try await Self.legalAidRequest(suite)
            var dead: [JSONValue] = []
            try await waitFor {
                dead = try await Runner(suite, service: "coordinator").ok("dlq.list")["dead"]?.arrayValue ?? []
                return dead.count == 1
            }
            #expect(dead.first?["last_error"]?.stringValue?.contains("no duty lawyer is available") == true)
            try await Self.lawyer(Runner(suite, service: "lawyer"), licence: "13205200810000004", capacity: 1)
            let retried = try await suite.banshictl(["dlq", "retry", dead[0]["id"]!.stringValue!])
            #expect(retried.status == 0, "\(retried.stderr)")
            try await waitFor(.seconds(20)) { try await Self.recordedLawyer(suite, caseID) != nil }
            try await CoordinatorSystemTests.settled(suite, sources: ["children", "lawyer"])
            #expect(try await Runner(suite, service: "lawyer").ok("assignment.list", ["source_service": "children"])["assignments"]?.arrayValue?.count == 1)
        }
    }

    @Test("Reporting's lawyer indicators equal a hand count of the same inputs")
    func indicatorsByHand() async throws {
        try await TestSuite.with(
            services: ["lawyer", "reporting"], serviceKeys: ["lawyer": Self.lawyerKeys, "reporting": ReportingSystemTests.reportingKeys()]
        ) { suite in
            for service in ["bus", "lawyer", "reporting"] { try await suite.start(service) }
            let run = Runner(suite, service: "lawyer")
            let lawyer = try await Self.lawyer(run, licence: "13205200810000005")
            // File reviews requested Monday 2 March 2026 (due Thursday 5 March): on time, late, never → 1/3.
            var reviews: [JSONValue] = []
            for _ in 0..<3 {
                reviews.append(try await run.ok("file-review.request", ["lawyer_id": lawyer, "case_number": "x", "now": "2026-03-02T02:00:00Z"])["review_id"]!)
            }
            try await run.ok("file-review.arrange", ["review_id": reviews[0], "now": "2026-03-05T02:00:00Z"])
            try await run.ok("file-review.arrange", ["review_id": reviews[1], "now": "2026-03-06T02:00:00Z"])
            // Complaints received 2 March (due 9 March): two in time, one late → 2/3.
            for day in ["2026-03-09", "2026-03-08", "2026-03-10"] {
                let id = try await run.ok("complaint.receive", ["lawyer_id": lawyer, "kind": "other", "description": "x", "now": "2026-03-02T02:00:00Z"])["complaint_id"]!
                try await run.ok("complaint.assign", ["complaint_id": id, "department": "x", "now": "2026-03-02T02:00:00Z"])
                try await run.ok("complaint.handle", ["complaint_id": id, "outcome": "x", "now": .string("\(day)T02:00:00Z")])
            }
            // Tasks due 10 March: one followed up after its deadline, one never → 1 without follow-up.
            for followUp in [true, false] {
                let task = try await run.ok("task.create", ["item": "x", "department": "x", "deadline": "2026-03-10", "measure": "x", "now": "2026-03-01T02:00:00Z"])["task_id"]!
                if followUp { try await run.ok("task.follow-up", ["task_id": task, "note": "x", "now": "2026-03-11T02:00:00Z"]) }
            }
            try await run.ok("deadlines.scan", ["now": "2026-03-12T02:00:00Z"])
            try await ReportingSystemTests.caughtUp(suite, sources: ["lawyer"])
            // From 2026 to today (the default end): the facts of a command run without `now` fall on today.
            let report = try await Runner(suite, service: "reporting").ok("report", ["program": "lawyer", "from": "2026-01-01"])
            let values = Dictionary(uniqueKeysWithValues: (report["indicators"]?.arrayValue ?? []).map { ($0["id"]!.stringValue!, $0) })
            #expect(values["lawyer.file-review-on-time"]?["numerator"] == 1 && values["lawyer.file-review-on-time"]?["denominator"] == 3)
            #expect(values["lawyer.complaints-on-time"]?["numerator"] == 2 && values["lawyer.complaints-on-time"]?["denominator"] == 3)
            #expect(values["lawyer.tasks-overdue-without-follow-up"]?["value"] == 1)
            #expect(values["lawyer.tasks-overdue-without-follow-up"]?["status"] == "behind", "the target 0 is a ceiling")
            #expect(values["lawyer.tasks-overdue-without-follow-up"]?["ceiling"] == true && values["lawyer.complaints-on-time"]?["ceiling"] == false)
            // People read a ceiling as one: the table and the HTML say "≤ 0", not a target of 0 to reach.
            let table = try await suite.banshictl(["report", "--program", "lawyer", "--from", "2026-01-01"])
            #expect(table.stdout.split(separator: "\n").contains { $0.contains("lawyer.tasks-overdue-without-follow-up") && $0.contains("1  ") && $0.contains("≤ 0") }, "\(table.stdout)")
            let html = try await Runner(suite, service: "reporting").ok("report", ["program": "lawyer", "from": "2026-01-01", "format": "html"])["content"]?.stringValue ?? ""
            #expect(html.contains("1 / ≤ 0") && html.contains("target ≤ 0"), "\(html)")
        }
    }
}
