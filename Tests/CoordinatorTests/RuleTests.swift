import BanshiKit
import Coordinator
import Foundation
import Testing

@Suite("Routing rules: patterns, conditions, arguments")
struct RuleTests {
    let event = EventEnvelope(
        id: "01a2-evt", service: "children", type: try! Topic("children.abuse.referred"), time: Timestamp(timeIntervalSince1970: 1_772_323_200),
        subject: "case/VC-1", data: ["case_id": "VC-1", "child_id": "CH-9", "offence_type": "abuse", "n": 3, "nested": ["k": "v"]],
        seq: 7, correlationid: "flow-1", causationid: "req-1")

    @Test("Topic patterns: exact, prefix, glob", arguments: [
        ("children.abuse.referred", true), ("children.", true), ("children.*.referred", true), ("*.abuse.*", true),
        ("children.abuse.referre?", true), ("petition.", false), ("children.abuse", false), ("children.abuse.referred.x", false),
        ("*.aid.decided", false),
    ])
    func patterns(pattern: String, matches: Bool) throws {
        #expect(try #require(TopicPattern(pattern)).matches(event.type) == matches)
    }

    @Test("Malformed patterns are refused")
    func badPatterns() {
        for text in ["", ".children", "Children.abuse", "children abuse", "children.ab{use"] { #expect(TopicPattern(text) == nil, "\(text)") }
    }

    @Test("Conditions: equality (3 equals 3.0), membership, presence, all/any/not")
    func conditions() throws {
        let offence = try #require(EventPath("data.offence_type"))
        #expect(Condition.equals(offence, "abuse").holds(for: event))
        #expect(Condition.equals(try #require(EventPath("data.n")), .double(3)).holds(for: event))
        #expect(Condition.oneOf(offence, ["neglect", "abuse"]).holds(for: event))
        #expect(!Condition.oneOf(offence, ["neglect"]).holds(for: event))
        #expect(Condition.present(try #require(EventPath("data.nested.k")), true).holds(for: event))
        #expect(Condition.present(try #require(EventPath("data.missing")), false).holds(for: event))
        #expect(Condition.all([.equals(offence, "abuse"), .not(.equals(offence, "neglect"))]).holds(for: event))
        #expect(Condition.any([.equals(offence, "neglect"), .equals(try #require(EventPath("source")), "/banshi/children")]).holds(for: event))
        #expect(EventPath("data") == nil && EventPath("data.") == nil && EventPath("payload.x") == nil && EventPath("seq") != nil)
    }

    @Test("Argument templates: literal, typed field, optional field, interpolated text, a missing field named")
    func templates() throws {
        #expect(try ArgumentTemplate("minor").render(event) == "minor")
        #expect(try ArgumentTemplate(.int(5)).render(event) == 5)
        #expect(try ArgumentTemplate("{data.n}").render(event) == 3)
        #expect(try ArgumentTemplate("{data.amount?}").render(event) == nil)
        #expect(try ArgumentTemplate("case {data.case_id} of {data.child_id}").render(event) == "case VC-1 of CH-9")
        #expect(try ArgumentTemplate("{correlationid}").render(event) == "flow-1")
        #expect(throws: ArgumentTemplate.Missing.self) { try ArgumentTemplate("{data.amount}").render(event) }
        #expect(throws: RuleProblem.self) { try ArgumentTemplate("{data.x") }
        #expect(throws: RuleProblem.self) { try ArgumentTemplate("{payload}") }
        #expect(throws: RuleProblem.self) { try ArgumentTemplate("x {data.amount?}") }
    }
}

@Suite("The rule file")
struct RouteBookTests {
    let services: Set<String> = ["children", "petition"]

    func load(_ text: String) throws(RuleFileError) -> RouteBook {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).toml").path
        try? text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try RouteBook.load(file: file, services: services)
    }

    func refusal(_ text: String) -> RuleFileError? {
        do throws(RuleFileError) { _ = try load(text); return nil } catch { return error }
    }

    @Test("The shipped rules load, on by default; a rule whose target is a suite service this configuration lacks is set aside, not refused")
    func shipped() throws {
        let book = try RouteBook.load(file: "config/routes.toml", services: services)
        #expect(book.rules.map(\.id) == [
            "abuse-referral-opens-aid", "aid-decision-to-child-case", "duty-lawyer-to-child-case", "unsafe-food-for-minors-opens-prevention",
        ])
        #expect(book.dormant.map(\.id) == ["child-legal-aid-gets-duty-lawyer", "lead-flags-enterprise-risk"])
        #expect(book.rules.allSatisfy { $0.enabled })
        #expect(book.rules[1].condition != nil)
        let whole = try RouteBook.load(file: "config/routes.toml", services: Set(SuiteServices.names))
        #expect(whole.dormant.isEmpty && whole.rules.count == 6, "rules 1 to 4, with 1 and 2 both ways")
    }

    let good = """
        [[route]]
        id = "r1"
        topic = "children.abuse.referred"
        target = "petition"
        command = "aid.open"
        """

    @Test("A bad rule is refused naming the rule and the field", arguments: [
        ("topic = \"Children!\"", "topic"), ("target = \"lawyers\"", "target"), ("when = { field = \"payload.x\", equals = 1 }", "when.field"),
        ("when = { all = [ { field = \"data.x\", equals = 1 }, { field = \"data.y\", in = [] } ] }", "when.all[1].in"),
        ("when = { field = \"data.x\", equals = 1, in = [1] }", "when"), ("colour = \"red\"", "colour"),
        ("enabled = \"yes\"", "enabled"), ("args = { a = \"{data.x\" }", "args.a"),
    ])
    func badRule(line: String, field: String) throws {
        let key = line.split(separator: " ").first.map(String.init) ?? ""
        let text = good.split(separator: "\n").filter { !$0.hasPrefix(key + " ") }.joined(separator: "\n") + "\n" + line
        let error = try #require(refusal(text))
        #expect(error.rule == "r1")
        #expect(error.field == field, "\(error)")
    }

    @Test("Duplicate ids, a missing id and a TOML syntax error are refused with their place")
    func fileErrors() throws {
        #expect(refusal(good + "\n" + good)?.field == "id")
        #expect(refusal("[[route]]\ntopic = \"a.b.c\"")?.rule == "route[0]")
        #expect(refusal("[[route]\nid = 1")?.message.isEmpty == false)
        #expect(refusal("") == nil)
    }
}

@Suite("Retry back-off")
struct BackoffTests {
    @Test("Doubles from the base, caps at the maximum, and jitter scales it into [0.5, 1]")
    func backoff() throws {
        let root = try ConfigTable.parse("[c]\ncontrol = \"tcp://127.0.0.1:1\"\nretry_base_ms = 100\nretry_max_ms = 1000", file: "t.toml")
        let settings = try CoordinatorSettings(try root.table("c"))
        #expect(settings.backoff(afterAttempt: 1, jitter: 1) == .milliseconds(100))
        #expect(settings.backoff(afterAttempt: 3, jitter: 1) == .milliseconds(400))
        #expect(settings.backoff(afterAttempt: 10, jitter: 1) == .milliseconds(1000))
        #expect(settings.backoff(afterAttempt: 2, jitter: 0.5) == .milliseconds(100))
        #expect(settings.backoff(afterAttempt: 60, jitter: 1) == .milliseconds(1000))
    }
}
