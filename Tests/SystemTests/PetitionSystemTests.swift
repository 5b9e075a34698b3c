import BanshiKit
import BanshiTesting
import Foundation
import Petition
import Testing

/// The real `banshi-petition` over ZeroMQ, with the shipped guidelines, register and wage table.
@Suite("System: the petition service")
struct PetitionSystemTests {

    static func keys(_ extra: String = "") -> String {
        """
        guidelines_dir = "\(TestRepository.path)/config/guidelines"
        procuratorates_file = "\(TestRepository.path)/config/procuratorates.toml"
        aid_wages_file = "\(TestRepository.path)/config/aid-wages.toml"
        scan_interval_ms = 0
        \(extra)
        """
    }

    @Test("An aid wage table with no year to set this year's cap: the service warns at start naming the file and the year, status shows it, and an approval is refused as unavailable")
    func aidWagesRunOut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let thisYear = CalendarDate(Timestamp()).year
        let wages = directory.file("aid-wages.toml")
        try "[wages]\n\(thisYear - 3) = 9000\n".write(toFile: wages, atomically: true, encoding: .utf8)
        let keys = Self.keys().replacingOccurrences(of: "\(TestRepository.path)/config/aid-wages.toml", with: wages)
        try await TestSuite.with(services: ["petition"], serviceKeys: ["petition": keys]) { suite in
            let run = Runner(suite, service: "petition")
            let status = try await run.startWarned([
                "the aid wage table \(wages) has no average monthly wage for \(thisYear - 1)", "are refused (unavailable) from today",
            ])
            let shown = status["aid_wages"]
            #expect(status["warnings"]?.arrayValue?.first?.stringValue?.hasPrefix("the aid wage table \(wages) has no average monthly wage") == true)
            #expect(shown?["file"] == .string(wages) && shown?["years"] == [.int(Int64(thisYear - 3))] && shown?["wage_year_today"] == .null)
            let aid = try await run.ok("aid.apply", ["beneficiary_name": "某", "category": "veteran", "procuratorate_id": "nanhu", "situation": "困难"])["aid_id"]!
            let refused = try await run.failure("aid.decide", ["aid_id": aid, "decision": "approved", "amount": 1_000])
            #expect(refused?.code == .unavailable && refused?.message.contains("no average monthly wage is configured for \(thisYear - 1)") == true)
        }
    }

    /// Bus and petition, the starter guidelines and register imported at start.
    static func withPetition(_ body: (TestSuite, Runner) async throws -> Void) async throws {
        try await TestSuite.with(services: ["petition"], serviceKeys: ["petition": keys()]) { suite in
            try await suite.start("bus")
            try await suite.start("petition")
            let run = Runner(suite, service: "petition")
            let shipped = try Self.shipped()
            try await waitFor { (try? await run.ok("guideline.list"))?["guidelines"]?.arrayValue?.count == shipped }
            try await body(suite, run)
        }
    }

    /// How many guidelines the repository ships.
    static func shipped() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "\(TestRepository.path)/config/guidelines").filter { $0.hasSuffix(".md") }.count
    }

    func hits(_ run: Runner, _ query: String) async throws -> [JSONValue] {
        try await run.ok("guideline.search", ["query": .string(query)])["hits"]?.arrayValue ?? []
    }

    @Test("A command's help on an 80-column terminal breaks a long list of choices between names, never inside one")
    func choicesWrap() async throws {
        try await Self.withPetition { suite, _ in
            let help = try await TestSuite.runExternal(
                "/usr/bin/env",
                ["COLUMNS=80", "\(ServiceProcess.executableDirectory)/banshictl", "call", "petition", "help", "petition.receive", "--config", suite.configPath])
            let lines = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let first = try #require(lines.firstIndex { $0.hasPrefix("[complaint|") }, "\(help)")
            let last = try #require(lines[first...].firstIndex { $0.hasSuffix("]") })
            #expect(last > first && lines[first..<last].allSatisfy { $0.hasSuffix("|") }, "\(lines[first...last])")
            #expect(lines[first...last].joined() == "[complaint|criminal-appeal|civil-administrative-appeal|state-compensation|judicial-aid|legal-consultation|case-progress]")
            #expect(help.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        }
    }

    @Test("Search on real Chinese text: 刑事合规, 司法救助, 国家赔偿, a two-character and a one-character query, ranked and highlighted")
    func search() async throws {
        try await Self.withPetition { _, run in
            let compliance = try await hits(run, "刑事合规")
            #expect(compliance.first?["guideline_id"] == "legal-consultation")
            #expect(compliance.first?["snippet"]?.stringValue?.contains("<mark>刑事合规</mark>") == true)

            let aid = try await hits(run, "司法救助")
            #expect(aid.first?["guideline_id"] == "judicial-aid")
            #expect(aid.count >= 2)
            #expect((aid[0]["score"]?.doubleValue ?? 0) > (aid[1]["score"]?.doubleValue ?? 0))

            #expect(try await hits(run, "国家赔偿").first?["guideline_id"] == "state-compensation")

            let two = try await hits(run, "赔偿")
            #expect(two.first?["guideline_id"] == "state-compensation")
            #expect(two.first?["snippet"]?.stringValue?.contains("<mark>赔偿</mark>") == true)
            #expect(try await hits(run, "救").first?["guideline_id"] == "judicial-aid")

            let both = try await hits(run, "申诉 六个月")
            #expect(both.map { $0["guideline_id"]?.stringValue ?? "" } == ["civil-administrative-appeal"])
            #expect(try await hits(run, "火星移民").isEmpty)
            let category = try await run.ok("guideline.search", ["query": "赔偿", "category": "judicial-aid"])["hits"]?.arrayValue ?? []
            #expect(category.map { $0["guideline_id"] } == ["judicial-aid"])
        }
    }

    @Test("An update makes a new version and keeps the history; a bad file changes nothing and is named with its line")
    func versions() async throws {
        try await Self.withPetition { suite, run in
            let directory = suite.directory.file("guidelines")
            try FileManager.default.copyItem(atPath: "\(TestRepository.path)/config/guidelines", toPath: directory)
            let file = "\(directory)/judicial-aid.md"
            let original = try String(contentsOfFile: file, encoding: .utf8)
            try (original + "\n## 新增：救助金发放\n救助金一般在决定后十个工作日内发放到申请人账户。\n").write(toFile: file, atomically: true, encoding: .utf8)

            let imported = try await run.ok("guidelines.import", ["directory": .string(directory)])
            #expect(imported["updated"] == ["judicial-aid"])
            #expect(imported["unchanged"]?.arrayValue?.count == (try Self.shipped()) - 1)
            #expect(try await run.ok("guidelines.import", ["directory": .string(directory)])["updated"] == [])

            let history = try await run.ok("guideline.history", ["guideline_id": "judicial-aid"])["versions"]?.arrayValue ?? []
            #expect(history.map { $0["version"] } == [2, 1])
            #expect(try await run.ok("guideline.get", ["guideline_id": "judicial-aid", "version": 1])["body"]?.stringValue?.contains("救助金发放") == false)
            #expect(try await run.ok("guideline.get", ["guideline_id": "judicial-aid"])["version"] == 2)
            #expect(try await hits(run, "救助金发放").first?["guideline_id"] == "judicial-aid")

            try "---\nid: broken\ntitle: 坏文件\ncategory: gossip\n---\n正文\n".write(toFile: "\(directory)/zz-broken.md", atomically: true, encoding: .utf8)
            try (original + "\n再改一次。\n").write(toFile: file, atomically: true, encoding: .utf8)
            let refused = try await run.failure("guidelines.import", ["directory": .string(directory)])
            #expect(refused?.code == .invalidArgument)
            #expect(refused?.details["line"] == 4)
            #expect(refused?.message.contains("zz-broken.md") == true)
            #expect(try await run.ok("guideline.history", ["guideline_id": "judicial-aid"])["versions"]?.arrayValue?.count == 2)
            // Every wrong file is named in one refusal, the first with its line.
            try "---\ntitle: 无编号\n---\n正文\n".write(toFile: "\(directory)/zz-no-id.md", atomically: true, encoding: .utf8)
            let both = try await run.failure("guidelines.import", ["directory": .string(directory)])
            #expect(both?.message.hasPrefix("2 guideline files are wrong: ") == true, "\(String(describing: both))")
            #expect(both?.details["problems"]?.arrayValue?.count == 2)
            #expect(both?.details["line"] == 4 && both?.message.contains("zz-no-id.md") == true)
            #expect(try await run.ok("guideline.history", ["guideline_id": "judicial-aid"])["versions"]?.arrayValue?.count == 2)
        }
    }

    @Test("Everyday questions find their guideline first, by the knowledge base's own terms inside the sentence")
    func everydayQuestions() async throws {
        try await Self.withPetition { _, run in
            let cases: [(question: String, guideline: String)] = [
                ("儿子不给赡养费，我该怎么办？", "elderly-support"),
                ("公司欠薪半年不发，老板跑了", "wage-arrears"),
                ("我在工地上受了工伤，老板不管", "work-injury"),
                ("被车撞了，对方不赔钱", "traffic-accident"),
            ]
            for item in cases {
                let suggestions = try await run.ok("inquiry.submit", ["channel": "web", "question": .string(item.question)])["suggestions"]?.arrayValue ?? []
                #expect(suggestions.first?["guideline_id"]?.stringValue == item.guideline, "\(item.question)")
                #expect(suggestions.first?["snippet"]?.stringValue?.contains("<mark>") == true, "\(item.question)")
            }
        }
    }

    @Test("Search and suggestions score on one scale, snippets are plain text with the match marked (no Markdown, not the title again, not the whole body), question words suggest nothing, and a search that finds nothing says so")
    func searchOutputForPeople() async throws {
        try await Self.withPetition { suite, run in
            // One scale: the same guideline for the same term scores the same by search and by suggestion.
            let searched = try await hits(run, "赡养").first { $0["guideline_id"] == "elderly-support" }
            let suggested = try await run.ok("inquiry.submit", ["channel": "web", "question": "儿子不给赡养怎么办"])["suggestions"]?.arrayValue ?? []
            #expect(suggested.map { $0["guideline_id"]?.stringValue ?? "" } == ["elderly-support"], "怎么办 suggests nothing of its own")
            #expect(searched?["score"] != nil)
            #expect(suggested.first?["score"] == searched?["score"])

            for query in ["工伤", "刑事合规", "赔偿", "申诉 六个月"] {
                for hit in try await hits(run, query) {
                    let snippet = hit["snippet"]?.stringValue ?? ""
                    #expect(snippet.contains("<mark>"), "\(query): \(snippet)")
                    #expect(!snippet.contains("#") && !snippet.contains("**") && !snippet.contains("\n"), "\(query): \(snippet)")
                    #expect(!snippet.hasPrefix(hit["title"]?.stringValue ?? "-"), "\(query): \(snippet)")
                    #expect(snippet.count < 120, "\(query): \(snippet.count) characters")
                }
            }
            let nothing = try await suite.banshictl(["petition", "search", "火星移民"])
            #expect(nothing.status == 0)
            #expect(nothing.stdout == "no guideline matches '火星移民'\n")
        }
    }

    @Test("An inquiry gets matching guidelines at once; staff answer and close it")
    func inquiry() async throws {
        try await Self.withPetition { _, run in
            let submitted = try await run.ok(
                "inquiry.submit", ["channel": "phone", "question": "我被错误逮捕关了半年，后来检察院不起诉了，可以申请国家赔偿吗？要准备什么材料？"])
            let suggestions = submitted["suggestions"]?.arrayValue ?? []
            #expect(suggestions.first?["guideline_id"] == "state-compensation")
            #expect(suggestions.count == 3)
            let id = submitted["inquiry_id"]!
            #expect(try await run.ok("inquiry.get", ["inquiry_id": id])["status"] == "open")
            try await run.ok("inquiry.answer", ["inquiry_id": id, "answer": "可以，请参照国家赔偿申请指引准备材料。", "staff": "张检察官"])
            #expect(try await run.failure("inquiry.answer", ["inquiry_id": id, "answer": "x", "staff": "y"])?.code == .conflict)
            try await run.ok("inquiry.close", ["inquiry_id": id])
            let record = try await run.ok("inquiry.get", ["inquiry_id": id])
            #expect(record["status"] == "closed")
            #expect(record["suggested"]?.arrayValue?.first == "state-compensation")
            #expect(try await run.failure("inquiry.submit", ["channel": "fax", "question": "?"])?.details["field"] == "channel")
        }
    }

    @Test("A petition that came by post last week keeps its day of receipt (the deadlines run from it) beside the time it was recorded; a receipt in the future or over a year old is refused")
    func receivedByPost() async throws {
        try await Self.withPetition { _, run in
            var args: [String: JSONValue] = [
                "petitioner_name": "孙某", "category": "complaint", "summary": "来信反映", "procuratorate_id": "nanhu",
                "received_at": "2026-03-02T01:00:00Z", "now": "2026-03-09T02:00:00Z",
            ]
            let received = try await run.ok("petition.receive", args)
            #expect(received["received_on"] == "2026-03-02")
            #expect(received["procedural_due"] == "2026-03-09")
            let record = try await run.ok("petition.get", ["petition_id": received["petition_id"]!])
            #expect(record["received_at"] == "2026-03-02T01:00:00.000Z")
            #expect(record["recorded_at"] == "2026-03-09T02:00:00.000Z")
            args["received_at"] = "2026-03-09T02:00:01Z"
            let future = try await run.failure("petition.receive", args)
            #expect(future?.details["field"] == "received_at")
            args["received_at"] = "2025-01-01T00:00:00Z"
            #expect(try await run.failure("petition.receive", args)?.details["field"] == "received_at")
        }
    }

    @Test("Petition deadlines over the wire: day 7 on time, day 8 overdue, 3 months, then each missed month once")
    func deadlines() async throws {
        try await Self.withPetition { _, run in
            // 10:00 in Beijing on 1 March.
            let received = try await run.ok(
                "petition.receive",
                [
                    "petitioner_name": "刘某", "category": "criminal-appeal", "summary": "不服不起诉决定", "procuratorate_id": "nanhu",
                    "now": "2026-03-01T02:00:00Z",
                ])
            #expect(received["procedural_due"] == "2026-03-08")
            #expect(received["result_due"] == "2026-06-01")
            let id = received["petition_id"]!
            func scan(_ now: String) async throws -> JSONValue? { try await run.ok("deadlines.scan", ["now": .string(now)])["emitted"] }

            #expect(try await scan("2026-03-08T15:59:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 0])
            #expect(try await scan("2026-03-08T16:00:00Z") == ["procedural_reply": 1, "result": 0, "follow_up": 0])
            #expect(try await scan("2026-03-20T00:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 0])
            #expect(try await run.ok("petition.reply", ["petition_id": id, "kind": "procedural", "content": "已受理", "now": "2026-03-20T00:00:00Z"])["on_time"] == false)
            #expect(try await scan("2026-06-01T12:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 0])
            #expect(try await scan("2026-06-01T16:00:00Z") == ["procedural_reply": 0, "result": 1, "follow_up": 0])
            #expect(try await scan("2026-07-01T12:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 0])
            #expect(try await scan("2026-07-02T00:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 1])
            #expect(try await scan("2026-07-20T00:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 0])
            let progress = try await run.ok("petition.reply", ["petition_id": id, "kind": "progress", "content": "正在复查", "now": "2026-07-20T00:00:00Z"])
            #expect(progress["follow_up_due"] == "2026-08-20")
            let followUp = try await run.ok("petition.follow-up", ["petition_id": id, "note": "电话告知进展", "now": "2026-08-19T00:00:00Z"])
            #expect(followUp["on_time"] == true)
            #expect(followUp["follow_up_due"] == "2026-09-19")
            #expect(try await scan("2026-09-21T00:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 1])
            try await run.ok("petition.reply", ["petition_id": id, "kind": "result", "content": "维持原决定", "now": "2026-09-25T00:00:00Z"])
            #expect(try await scan("2027-01-01T00:00:00Z") == ["procedural_reply": 0, "result": 0, "follow_up": 0])
            #expect(try await run.failure("petition.follow-up", ["petition_id": id, "note": "x"])?.code == .conflict)

            let record = try await run.ok("petition.get", ["petition_id": id])
            #expect(record["status"] == "concluded")
            #expect(record["actions"]?.arrayValue?.map { $0["kind"] } == ["procedural", "progress", "follow-up", "result"])
            let log = try await run.ok("events.since", ["after_seq": 0, "limit": 1000])["events"]?.arrayValue ?? []
            #expect(log.compactMap { $0["type"]?.stringValue }.filter { $0.hasSuffix(".overdue") } == [
                "petition.procedural-reply.overdue", "petition.result.overdue", "petition.follow-up.overdue", "petition.follow-up.overdue",
            ])
            #expect(!log.map { $0.serialized() }.joined().contains("刘某"))
        }
    }

    @Test("Program conformance: a drive through every petition command family puts every event type on the bus, each in contract, none with the petitioner's or beneficiary's personal data, seq without a gap")
    func conformance() async throws {
        try await TestSuite.with(services: ["petition"], serviceKeys: ["petition": Self.keys("import_on_start = false")]) { suite in
            try await suite.start("bus")
            try await suite.start("petition")
            let run = Runner(suite, service: "petition")
            let conformance = ProgramConformance(
                service: "petition", catalog: PetitionEvents.catalog,
                personal: ["赵某某", "13912345678", "我儿子在学校被打伤了怎么办", "孙某", "父亲去世家庭困难"])
            let report = try await conformance.check(suite) {
                try await run.ok("procuratorates.import")
                try await run.ok("guidelines.import")
                let inquiry = try await run.ok("inquiry.submit", ["channel": "web", "question": "我儿子在学校被打伤了怎么办", "contact": "13912345678"])["inquiry_id"]!
                try await run.ok("inquiry.answer", ["inquiry_id": inquiry, "answer": "请携带材料到窗口。", "staff": "张检察官"])
                try await run.ok("inquiry.close", ["inquiry_id": inquiry])
                let petition = try await run.ok(
                    "petition.receive",
                    [
                        "petitioner_name": "赵某某", "contact": "13912345678", "category": "criminal-appeal", "summary": "不服不起诉决定",
                        "procuratorate_id": "city", "now": "2026-03-01T02:00:00Z",
                    ])["petition_id"]!
                try await run.ok("deadlines.scan", ["now": "2026-06-02T00:00:00Z"])  // procedural and result overdue
                try await run.ok("deadlines.scan", ["now": "2026-07-03T00:00:00Z"])  // the first monthly follow-up overdue
                try await run.ok("petition.reply", ["petition_id": petition, "kind": "progress", "content": "正在复查", "now": "2026-07-03T00:00:00Z"])
                try await run.ok("petition.follow-up", ["petition_id": petition, "note": "电话告知进展", "now": "2026-07-10T00:00:00Z"])
                let aid = try await run.ok(
                    "aid.apply",
                    [
                        "category": "petitioner", "beneficiary_name": "孙某", "situation": "父亲去世家庭困难",
                        "procuratorate_id": "city", "petition_id": petition,
                    ])["aid_id"]!
                try await run.ok("aid.decide", ["aid_id": aid, "decision": "approved", "amount": 20_000, "now": "2026-07-11T00:00:00Z"])
                try await run.ok("aid.pay", ["aid_id": aid, "now": "2026-07-12T00:00:00Z"])
                let referral = try await run.ok("aid.refer", ["aid_id": aid, "agency": "civil-affairs", "need": "低保"])["referral_id"]!
                try await run.ok("referral.update", ["referral_id": referral, "status": "accepted"])
                try await run.ok("aid.open", ["category": "minor", "source_service": "children", "source_ref": "VC-CONFORMANCE1", "beneficiary_ref": "CH-CONFORM"])
            }
            #expect(report.problems.isEmpty, "\(report.problems.joined(separator: "\n"))")
            #expect(report.events.count > 20)
        }
    }

    @Test("Ex-officio aid opened by a wire client through aid.open, decided and paid; the source reference reaches petition.aid.decided")
    func exOfficioAid() async throws {
        try await Self.withPetition { suite, run in
            let subscriber = try EventSubscriber(context: suite.context, endpoint: suite.subscribeEndpoint, prefixes: ["petition.aid."])
            try await waitFor { (try? await suite.call("bus", "status").get())?["topics"] == ["petition.aid."] }

            let opened = try await run.ok(
                "aid.open", ["category": "minor", "source_service": "children", "source_ref": "VC-7K2M9QXA4RZT", "beneficiary_ref": "CH-4Q9Z"],
                id: "route-1/event-1")
            let aid = opened["aid_id"]!
            #expect(opened["procuratorate_id"] == "city")
            #expect(opened["origin"] == "ex-officio")
            // The same routed command again returns the stored reply; another id for the same source is a conflict.
            #expect(try await run.ok("aid.open", ["category": "minor", "source_service": "children", "source_ref": "VC-7K2M9QXA4RZT", "beneficiary_ref": "CH-4Q9Z"], id: "route-1/event-1")["aid_id"] == aid)
            #expect(try await run.failure("aid.open", ["category": "minor", "source_service": "children", "source_ref": "VC-7K2M9QXA4RZT", "beneficiary_ref": "CH-4Q9Z"])?.code == .conflict)

            #expect(try await run.failure("aid.pay", ["aid_id": aid])?.code == .conflict)
            let above = try await run.failure("aid.decide", ["aid_id": aid, "decision": "approved", "amount": 381_961, "now": "2026-05-01T00:00:00Z"])
            #expect(above?.details["field"] == "amount")
            let decided = try await run.ok(
                "aid.decide",
                [
                    "aid_id": aid, "decision": "approved", "amount": 420_000, "serious_injury_or_long_term_therapy": true,
                    "exceed_reason": "重伤，需长期康复治疗", "now": "2026-05-01T00:00:00Z",
                ])
            #expect(decided["exceeds_cap"] == true)
            try await run.ok("aid.pay", ["aid_id": aid, "now": "2026-05-08T00:00:00Z"])
            let referral = try await run.ok("aid.refer", ["aid_id": aid, "agency": "education", "need": "转学安置"])
            try await run.ok("referral.update", ["referral_id": referral["referral_id"]!, "status": "accepted"])
            let record = try await run.ok("aid.get", ["aid_id": aid])
            #expect(record["status"] == "paid")
            #expect(record["wage_year"] == 2025)
            #expect(record["referrals"]?.arrayValue?.first?["status"] == "accepted")

            let messages = try await subscriber.receive(3)
            let envelopes = try messages.map { try EventEnvelope.decode($0[1]) }
            #expect(envelopes.map(\.type) == ["petition.aid.opened", "petition.aid.decided", "petition.aid.paid"])
            let decidedEvent = envelopes[1]
            #expect(decidedEvent.data["source_service"] == "children")
            #expect(decidedEvent.data["source_ref"] == "VC-7K2M9QXA4RZT")
            #expect(decidedEvent.data["amount"]?.doubleValue == 420_000)
            #expect(envelopes[0].causationid == "route-1/event-1")
            for envelope in envelopes {
                #expect(try #require(PetitionEvents.catalog.spec(envelope.type)).mismatch(envelope.data) == nil)
            }
        }
    }

    @Test("Aid on application: capped, rejected with a reason; blank spots list the procuratorates that granted none in the year")
    func applicationAndBlankSpots() async throws {
        try await Self.withPetition { _, run in
            let petition = try await run.ok(
                "petition.receive",
                ["petitioner_name": "陈某", "category": "judicial-aid", "summary": "申请司法救助", "procuratorate_id": "dongcheng", "now": "2026-02-01T02:00:00Z"])
            let applied = try await run.ok(
                "aid.apply",
                [
                    "beneficiary_name": "陈某", "category": "poverty-household", "procuratorate_id": "dongcheng", "situation": "因案致贫",
                    "petition_id": petition["petition_id"]!,
                ])
            let exact = try await run.ok("aid.decide", ["aid_id": applied["aid_id"]!, "decision": "approved", "amount": 381_960, "now": "2026-03-01T00:00:00Z"])
            #expect(exact["exceeds_cap"] == false)
            let other = try await run.ok("aid.apply", ["beneficiary_name": "赵某", "category": "veteran", "procuratorate_id": "xicheng", "situation": "生活困难"])
            #expect(try await run.failure("aid.decide", ["aid_id": other["aid_id"]!, "decision": "rejected"])?.details["field"] == "reason")
            try await run.ok("aid.decide", ["aid_id": other["aid_id"]!, "decision": "rejected", "reason": "不符合救助条件", "now": "2026-03-02T00:00:00Z"])

            let spots = try await run.ok("aid.blank-spots", ["year": 2026])
            #expect(spots["blank_spots"] == ["city", "beishan", "nanhu", "xicheng", "xingang"])
            #expect(spots["no_blank_spots"] == false)
            #expect(try await run.failure("aid.apply", ["beneficiary_name": "x", "category": "minor", "procuratorate_id": "mars", "situation": "x"])?.code == .notFound)
        }
    }

    @Test("banshictl petition: search with marked matches, blank spots, --json, a clear error")
    func cli() async throws {
        try await Self.withPetition { suite, _ in
            let search = try await suite.banshictl(["petition", "search", "刑事合规"])
            #expect(search.status == 0)
            #expect(search.stdout.hasPrefix("GUIDELINE"))
            #expect(search.stdout.contains("legal-consultation") && search.stdout.contains("【刑事合规】"))

            let spots = try await suite.banshictl(["petition", "blank-spots", "--year", "2026"])
            #expect(spots.stdout.hasPrefix("Blank spots in 2026: city, beishan"))
            let json = try await suite.banshictl(["petition", "blank-spots", "--year", "2026", "--json"])
            #expect(try JSONValue.parse(Array(json.stdout.utf8))["procuratorates"]?.arrayValue?.count == 6)

            let missing = try await suite.banshictl(["petition", "show", "PT-NOSUCH"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("not_found"))
        }
    }
}
