import BanshiKit
import BanshiTesting
import Enterprise
import Foundation
import Testing

/// The real `banshi-enterprise` over ZeroMQ: a whole enterprise story through the control socket and
/// banshictl, the program's conformance, and reporting's enterprise indicators against a hand count.
@Suite("System: the enterprise service")
struct EnterpriseSystemTests {
    static let code = "91350100M000100Y43"
    static let other = "91440300708461136T"
    /// Valid check character, but never registered.
    static let unknown = "91330100799655058B"
    static let contact = "王经理"
    static let phone = "13912340000"
    static let painPoints = "融资难，希望开展合规培训"

    static func withEnterprise(_ services: [String] = ["enterprise"], keys: [String: String] = [:], _ body: (TestSuite, Runner) async throws -> Void) async throws {
        var serviceKeys = ["enterprise": "scan_interval_ms = 0"]
        serviceKeys.merge(keys) { _, new in new }
        try await TestSuite.with(services: services, serviceKeys: serviceKeys) { suite in
            for service in ["bus"] + services { try await suite.start(service) }
            try await body(suite, Runner(suite, service: "enterprise"))
        }
    }

    @Test("A whole enterprise story over the wire: register, case, visit, cards, compliance to leniency, health check, flag and risk notice; every event type in contract, no contact or free text on the bus")
    func wholeStory() async throws {
        try await Self.withEnterprise { suite, run in
            let conformance = ProgramConformance(
                service: "enterprise", catalog: EnterpriseEvents.catalog, personal: [Self.contact, Self.phone, Self.painPoints, "苏检刑诉"])
            let report = try await conformance.check(suite) {
                try await Self.story(suite, run)
            }
            #expect(report.problems.isEmpty, "\(report.problems.joined(separator: "\n"))")
        }
    }

    /// The drive: every command family, every transition, each deadline once.
    static func story(_ suite: TestSuite, _ run: Runner) async throws {
        let registered = try await run.ok(
            "enterprise.register",
            [
                "credit_code": .string(code), "name": "某某科技有限公司", "registered_address": "苏州工业园区星湖街1号", "industry": "software",
                "size": "small", "contact_name": .string(contact), "contact_phone": .string(phone), "check_interval_days": 90,
                "now": "2026-03-01T02:00:00Z",
            ])
        #expect(registered["next_check_due"] == "2026-05-30")
        try await run.ok(
            "enterprise.register",
            ["credit_code": .string(other), "name": "某某制造有限公司", "registered_address": "苏州", "industry": "manufacturing", "size": "medium", "now": "2026-03-01T02:00:00Z"])
        #expect(try await run.failure("enterprise.register", ["credit_code": .string(code), "name": "x", "registered_address": "x", "industry": "x", "size": "small"])?.code == .conflict)
        let badCheck = try await run.failure(
            "enterprise.register", ["credit_code": "91350100M000100Y44", "name": "x", "registered_address": "x", "industry": "x", "size": "small"])
        #expect(badCheck?.code == .invalidArgument && badCheck?.details["field"] == "credit_code" && badCheck?.message.contains("should be '3'") == true)

        try await run.ok("case.link", ["enterprise_id": .string(code), "case_number": "苏检刑诉〔2019〕12号", "role": "suspect", "procuratorate": "city", "handled_on": "2019-05-01", "now": "2026-03-01T02:00:00Z"])
        #expect(try await run.failure("case.link", ["enterprise_id": .string(code), "case_number": "苏检刑诉〔2015〕1号", "role": "suspect", "procuratorate": "city", "handled_on": "2015-12-31"])?.details["field"] == "handled_on")
        try await run.ok(
            "visit.record",
            ["enterprise_id": .string(code), "procuratorate": "city", "prosecutors": "张检、李检", "met": "总经理、财务", "pain_points": .string(painPoints), "now": "2026-03-01T02:00:00Z"])
        try await run.ok("consultation.record", ["enterprise_id": .string(code), "kind": "legal-consultation", "summary": "劳动合同风险", "now": "2026-03-01T02:00:00Z"])

        // Opinion cards: answered on the due day is on time; the day after is late, and announced overdue once.
        let card = try await run.ok("card.collect", ["enterprise_id": .string(code), "category": "compliance", "suggestion": "希望提供合规指引", "now": "2026-03-01T02:00:00Z"])
        #expect(card["answer_due"] == "2026-03-16")
        #expect(try await run.ok("card.answer", ["card_id": card["card_id"]!, "answer": "已送合规指引", "answered_by": "张检", "now": "2026-03-16T02:00:00Z"])["on_time"] == true)
        let late = try await run.ok("card.collect", ["enterprise_id": .string(code), "category": "other", "suggestion": "办事效率", "now": "2026-03-02T02:00:00Z"])["card_id"]!
        #expect(try await run.ok("deadlines.scan", ["now": "2026-03-17T08:00:00Z"])["emitted"]?["opinion_card"] == 0)
        #expect(try await run.ok("deadlines.scan", ["now": "2026-03-18T00:00:00Z"])["emitted"]?["opinion_card"] == 1)
        #expect(try await run.ok("deadlines.scan", ["now": "2026-03-18T01:00:00Z"])["emitted"]?["opinion_card"] == 0)
        #expect(try await run.ok("card.answer", ["card_id": late, "answer": "已改进", "answered_by": "李检", "now": "2026-03-18T02:00:00Z"])["on_time"] == false)
        #expect(try await run.failure("card.answer", ["card_id": late, "answer": "again", "answered_by": "李检"])?.code == .conflict)
        #expect(try await run.failure("card.collect", ["enterprise_id": .string(code), "category": "gossip", "suggestion": "x"])?.details["field"] == "category")

        // Compliance to leniency: every step in order; a step out of order is a conflict.
        let program = try await run.ok("compliance.propose", ["enterprise_id": .string(code), "case_number": "苏检刑诉〔2019〕12号", "now": "2026-03-05T02:00:00Z"])["program_id"]!
        #expect(try await run.failure("compliance.assess", ["program_id": program, "passed": true, "assessment": "x"])?.code == .conflict)
        // A step on a program that does not exist names it, whichever step it is.
        for (step, arguments) in [
            ("compliance.accept", [:]), ("compliance.assess", ["passed": true, "assessment": "x"] as [String: JSONValue]),
            ("compliance.decide", ["decision": "prosecution"]),
            ("compliance.supervise", ["supervisor": "组", "starts_on": "2026-03-05", "ends_on": "2026-06-10"]),
        ] {
            let missing = try await run.failure(step, arguments.merging(["program_id": "CP-NONE"]) { _, new in new })
            #expect(missing?.code == .notFound && missing?.message == "no compliance program 'CP-NONE'", "\(step): \(String(describing: missing))")
        }
        try await run.ok("compliance.accept", ["program_id": program, "now": "2026-03-06T02:00:00Z"])
        #expect(
            try await run.failure("compliance.supervise", ["program_id": program, "supervisor": "第三方监督评估组织", "starts_on": "2026-03-05", "ends_on": "2026-06-10"])?
                .message == "starts_on 2026-03-05 is before the enterprise accepted the program (2026-03-06); supervision starts after it")
        try await run.ok("compliance.supervise", ["program_id": program, "supervisor": "第三方监督评估组织", "starts_on": "2026-03-10", "ends_on": "2026-06-10"])
        #expect(try await run.failure("compliance.decide", ["program_id": program, "decision": "non-prosecution"])?.code == .conflict)
        // The first enterprise's health check is due on 30 May: not overdue that day, overdue the next, once.
        #expect(try await run.ok("deadlines.scan", ["now": "2026-05-30T08:00:00Z"])["emitted"]?["health_check"] == 0)
        #expect(try await run.ok("deadlines.scan", ["now": "2026-05-31T00:00:00Z"])["emitted"]?["health_check"] == 1)
        // Supervision ends on 10 June: announced on the 11th, once.
        #expect(try await run.ok("deadlines.scan", ["now": "2026-06-10T08:00:00Z"])["emitted"] == ["opinion_card": 0, "supervision": 0, "health_check": 0])
        #expect(try await run.ok("deadlines.scan", ["now": "2026-06-11T00:00:00Z"])["emitted"] == ["opinion_card": 0, "supervision": 1, "health_check": 0])
        // A pass only once the supervision has run its course (its last day, 10 June, is still in it).
        let early = try await run.failure("compliance.assess", ["program_id": program, "passed": true, "assessment": "x", "now": "2026-06-10T02:00:00Z"])
        #expect(early?.code == .conflict && early?.details["supervision_ends"] == "2026-06-10", "\(String(describing: early))")
        #expect(early?.message == "a program passes only once its supervision has run its course: it ends on 2026-06-10, so a pass is assessed from 2026-06-11, not on 2026-06-10")
        try await run.ok("compliance.assess", ["program_id": program, "passed": true, "assessment": "合规计划有效执行", "now": "2026-06-12T02:00:00Z"])
        #expect(
            try await run.failure("compliance.decide", ["program_id": program, "decision": "non-prosecution", "decided_on": "2026-06-11", "now": "2026-06-15T02:00:00Z"])?
                .message == "decided_on 2026-06-11 is before the program was assessed (2026-06-12)")
        #expect(try await run.ok("compliance.decide", ["program_id": program, "decision": "non-prosecution", "now": "2026-06-15T02:00:00Z"])["status"] == "decided")
        #expect(try await run.failure("compliance.decide", ["program_id": program, "decision": "prosecution"])?.code == .conflict)
        // A failed assessment: no leniency, only prosecution.
        let failed = try await run.ok("compliance.propose", ["enterprise_id": .string(other), "case_number": "苏检刑诉〔2020〕3号", "now": "2026-03-05T02:00:00Z"])["program_id"]!
        try await run.ok("compliance.accept", ["program_id": failed, "now": "2026-03-06T02:00:00Z"])
        try await run.ok("compliance.supervise", ["program_id": failed, "supervisor": "第三方", "starts_on": "2026-03-10", "ends_on": "2026-04-10"])
        // A failure may end the supervision before its last day.
        try await run.ok("compliance.assess", ["program_id": failed, "passed": false, "assessment": "未整改", "now": "2026-04-02T02:00:00Z"])
        #expect(try await run.failure("compliance.decide", ["program_id": failed, "decision": "lighter-sentencing-proposal"])?.code == .conflict)
        try await run.ok("compliance.decide", ["program_id": failed, "decision": "prosecution", "now": "2026-04-15T02:00:00Z"])

        // The health check, late: the next one falls due one interval (90 days) after it.
        let check = try await run.ok("health-check.record", ["enterprise_id": .string(code), "findings": "合同管理制度缺失", "now": "2026-06-12T02:00:00Z"])
        #expect(check["on_time"] == false && check["next_check_due"] == "2026-09-10")

        // A flag from another service: the check comes forward, a risk notice is proposed, then issued and answered.
        let flag = try await run.ok(
            "risk.flag", ["credit_code": .string(other), "source_service": "public-interest", "source_ref": "LD-7K2M9QXA4RZT", "reason": "食品抽检不合格", "now": "2026-06-12T02:00:00Z"])
        #expect(flag["next_check_due"] == "2026-07-12")
        #expect(try await run.failure("risk.flag", ["credit_code": .string(unknown), "source_service": "public-interest", "source_ref": "LD-1", "reason": "x"])?.code == .notFound)
        #expect(try await run.failure("risk.flag", ["credit_code": .string(other), "source_service": "public-interest", "source_ref": "刘某的名字", "reason": "x"])?.details["field"] == "source_ref")
        try await run.ok("risk-notice.issue", ["notice_id": flag["notice_id"]!, "measures": "建立食品安全管理制度", "now": "2026-06-13T02:00:00Z"])
        #expect(
            try await run.failure("risk-notice.respond", ["notice_id": flag["notice_id"]!, "response": "已整改", "responded_on": "2026-06-12", "now": "2026-06-20T02:00:00Z"])?
                .details["field"] == "responded_on")
        try await run.ok("risk-notice.respond", ["notice_id": flag["notice_id"]!, "response": "已整改", "now": "2026-06-20T02:00:00Z"])
        #expect(try await run.failure("risk-notice.respond", ["notice_id": flag["notice_id"]!, "response": "again"])?.code == .conflict)

        try await run.ok("outreach.record", ["kind": "brochure", "title": "企业合规手册", "quantity": 50, "now": "2026-03-01T02:00:00Z"])
        try await run.ok("outreach.record", ["kind": "symposium", "title": "民营企业座谈会", "attendees": 30, "now": "2026-03-01T02:00:00Z"])
        #expect(try await run.failure("outreach.record", ["kind": "symposium", "title": "x", "quantity": 3])?.details["field"] == "quantity")

        // Reading it back: the record whole for an admin, listings for anyone, as tables through banshictl.
        let record = try await run.ok("enterprise.get", ["enterprise_id": .string(code)])
        #expect(record["contact_phone"] == .string(phone))
        #expect(record["cases"]?.arrayValue?.count == 1 && record["compliance_programs"]?.arrayValue?.first?["decision"] == "non-prosecution")
        let cards = try await suite.banshictl(["records", "enterprise", "card.list", "--where", "enterprise_id=\(code)"])
        #expect(cards.status == 0 && cards.stdout.contains("DUE") && cards.stdout.contains("2026-03-16") && cards.stdout.contains("false"))
        let timeline = try await run.ok("enterprise.timeline", ["enterprise_id": .string(code)])["events"]?.arrayValue ?? []
        #expect(timeline.first?["type"] == "enterprise.enterprise.registered" && timeline.count >= 15)
    }

    @Test("banshictl call types key=value and --arg by the command's own arguments: a digit-only phone is text, a number stays a number")
    func typedArguments() async throws {
        try await Self.withEnterprise { suite, run in
            let registered = try await suite.banshictl([
                "call", "enterprise", "enterprise.register", "--arg", "credit_code=\(Self.code)", "--arg", "name=某公司", "--arg", "registered_address=苏州",
                "--arg", "industry=software", "--arg", "size=small", "--arg", "contact_phone=13900000000", "--arg", "check_interval_days=90",
            ])
            #expect(registered.status == 0, "\(registered.stderr)")
            let record = try await run.ok("enterprise.get", ["enterprise_id": .string(Self.code)])
            #expect(record["contact_phone"] == "13900000000")
            #expect(record["check_interval_days"] == 90)
            // The same typing for key=value after the command, the form people type.
            let positional = try await suite.banshictl([
                "call", "enterprise", "enterprise.register", "credit_code=\(Self.other)", "name=某公司", "registered_address=苏州",
                "industry=software", "size=small", "contact_phone=13900000001", "check_interval_days=60",
            ])
            #expect(positional.status == 0, "\(positional.stderr)")
            let other = try await run.ok("enterprise.get", ["enterprise_id": .string(Self.other)])
            #expect(other["contact_phone"] == "13900000001")
            #expect(other["check_interval_days"] == 60)
        }
    }

    @Test("Reporting's enterprise indicators equal a hand count of the same inputs")
    func indicatorsByHand() async throws {
        try await Self.withEnterprise(
            ["enterprise", "reporting"], keys: ["reporting": ReportingSystemTests.reportingKeys()]
        ) { suite, run in
            for credit in [Self.code, Self.other] {
                try await run.ok("enterprise.register", ["credit_code": .string(credit), "name": "某公司", "registered_address": "苏州", "industry": "x", "size": "small", "check_interval_days": 30, "now": "2026-01-01T02:00:00Z"])
            }
            // Visits: three in 2026, one in 2025 (out of the year).
            for day in ["2026-02-01", "2026-03-01", "2026-04-01", "2025-12-01"] {
                try await run.ok("visit.record", ["enterprise_id": .string(Self.code), "visited_on": .string(day), "procuratorate": "city", "prosecutors": "张检", "met": "经理", "pain_points": "x", "now": "2026-05-01T02:00:00Z"])
            }
            for kind in ["legal-consultation", "countermeasure-suggestion"] {
                try await run.ok("consultation.record", ["enterprise_id": .string(Self.code), "kind": .string(kind), "summary": "x", "now": "2026-05-01T02:00:00Z"])
            }
            // Cards: three collected; one answered on time, one late, one not at all → answered 2/3, on time 1/3.
            var cards: [JSONValue] = []
            for _ in 0..<3 {
                cards.append(try await run.ok("card.collect", ["enterprise_id": .string(Self.code), "category": "other", "suggestion": "x", "now": "2026-03-01T02:00:00Z"])["card_id"]!)
            }
            try await run.ok("card.answer", ["card_id": cards[0], "answer": "x", "answered_by": "张检", "now": "2026-03-10T02:00:00Z"])
            try await run.ok("card.answer", ["card_id": cards[1], "answer": "x", "answered_by": "张检", "now": "2026-04-10T02:00:00Z"])
            // Brochures: 40 + 25 copies; one symposium; a white paper counts in neither.
            try await run.ok("outreach.record", ["kind": "brochure", "title": "手册", "quantity": 40, "now": "2026-03-01T02:00:00Z"])
            try await run.ok("outreach.record", ["kind": "brochure", "title": "手册", "quantity": 25, "now": "2026-03-02T02:00:00Z"])
            try await run.ok("outreach.record", ["kind": "symposium", "title": "座谈会", "attendees": 20, "now": "2026-03-03T02:00:00Z"])
            try await run.ok("outreach.record", ["kind": "white-paper", "title": "白皮书", "now": "2026-03-04T02:00:00Z"])
            // Health checks due 31 January: the first performed that day (on time), the second missed → 1/2.
            try await run.ok("health-check.record", ["enterprise_id": .string(Self.code), "findings": "x", "now": "2026-01-31T02:00:00Z"])
            try await run.ok("deadlines.scan", ["now": "2026-02-01T02:00:00Z"])
            try await ReportingSystemTests.caughtUp(suite, sources: ["enterprise"])

            // From 2026 to today (the default end): the facts of a command run without `now` fall on today.
            let report = try await Runner(suite, service: "reporting").ok("report", ["program": "enterprise", "from": "2026-01-01"])
            let values = Dictionary(uniqueKeysWithValues: (report["indicators"]?.arrayValue ?? []).map { ($0["id"]!.stringValue!, $0) })
            #expect(values["enterprise.visits"]?["value"] == 3)
            #expect(values["enterprise.consultations"]?["value"] == 2)
            #expect(values["enterprise.suggestions-collected"]?["value"] == 3)
            #expect(values["enterprise.brochures"]?["value"] == 65)
            #expect(values["enterprise.symposia"]?["value"] == 1)
            #expect(values["enterprise.card-answer-rate"]?["numerator"] == 2 && values["enterprise.card-answer-rate"]?["denominator"] == 3)
            #expect(values["enterprise.card-on-time-rate"]?["numerator"] == 1 && values["enterprise.card-on-time-rate"]?["denominator"] == 3)
            #expect(values["enterprise.health-checks-on-schedule"]?["numerator"] == 1)
            #expect(values["enterprise.health-checks-on-schedule"]?["denominator"] == 2)
            #expect(values.count == 8)
        }
    }
}
