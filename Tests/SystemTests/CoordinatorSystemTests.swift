import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// Bus, children, petition and coordinator as real processes: routing rule 1 (docs/coordinator.md) end to end, and the
/// coordinator's delivery guarantees under failure.
@Suite("System: the coordinator")
struct CoordinatorSystemTests {
    /// When the tests' aid decisions are made: a stated day, since the cap of a decision made today
    /// depends on the wage table's years.
    static let decidedAt = "2026-05-01T00:00:00Z"


    /// The four processes, the coordinator on `routes` (default: the shipped rules).
    static func withFlow(
        routes: String = "\(TestRepository.path)/config/routes.toml", coordinatorKeys: String = "", _ body: (TestSuite) async throws -> Void
    ) async throws {
        try await TestSuite.with(
            services: ["children", "petition", "coordinator"], runtime: "heartbeat_interval_ms = 100",
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(),
                "coordinator": """
                    follow = ["children", "petition"]
                    routes_file = "\(routes)"
                    retry_base_ms = 50
                    retry_max_ms = 1000
                    \(coordinatorKeys)
                    """,
            ]
        ) { suite in
            try await suite.start("bus")
            try await suite.start("children")
            try await suite.start("petition")
            try await suite.start("coordinator")
            try await body(suite)
        }
    }

    /// Registers a child with a victim case of `offence` and refers it; returns (child id, case id).
    static func referral(_ suite: TestSuite, offence: String = "sexual-assault") async throws -> (child: String, case: String) {
        let children = Runner(suite)
        let child = try await children.ok(
            "child.register", ["name": "受害儿童", "birth_date": "2014-06-01", "household_province": "河南省", "migrant_status": "migrant"])["child_id"]!
        let victimCase = try await children.ok("victim-case.register", ["child_id": child, "offence_type": .string(offence)])["case_id"]!
        try await children.ok("abuse.refer", ["case_id": victimCase, "situation": "邻居报告"])
        return (child.stringValue!, victimCase.stringValue!)
    }

    /// Waits until the coordinator has applied everything its sources have logged and has no delivery
    /// pending: only then is a count of what it routed final.
    static func settled(_ suite: TestSuite, sources: [String] = ["children", "petition"]) async throws {
        let coordinator = Runner(suite, service: "coordinator")
        try await waitFor {
            let subscriptions = try await coordinator.ok("status")["subscriptions"]
            for source in sources {
                let logged = try await Runner(suite, service: source).ok("status")["last_seq"]?.intValue ?? 0
                guard let applied = subscriptions?[source]?["applied_seq"]?.intValue, applied >= logged else { return false }
            }
            return (try await coordinator.ok("delivery.list", ["status": "pending"])["deliveries"]?.arrayValue ?? []).isEmpty
        }
    }

    /// The petition service's aid cases opened from children cases, by source reference.
    static func aidBySource(_ suite: TestSuite) async throws -> [String: [JSONValue]] {
        let cases = try await Runner(suite, service: "petition").ok("aid.list", ["limit": 1000])["aid_cases"]?.arrayValue ?? []
        return Dictionary(grouping: cases, by: { $0["source_ref"]?.stringValue ?? "" })
    }

    static func log(_ suite: TestSuite, _ service: String) async throws -> [JSONValue] {
        try await Runner(suite, service: service).ok("events.since", ["after_seq": 0, "limit": 10_000])["events"]?.arrayValue ?? []
    }

    @Test("Rule 1 both ways: a referral opens aid with the child's case reference, the decision lands on the case, one correlationid throughout")
    func flagship() async throws {
        try await Self.withFlow { suite in
            let (child, caseID) = try await Self.referral(suite)
            var aid: JSONValue?
            try await waitFor { aid = try await Self.aidBySource(suite)[caseID]?.first; return aid != nil }
            let opened = try #require(aid)
            #expect(opened["source_service"] == "children")
            #expect(opened["category"] == "minor")
            let aidRecord = try await Runner(suite, service: "petition").ok("aid.get", ["aid_id": opened["id"]!])
            #expect(aidRecord["beneficiary_ref"] == .string(child))

            try await Runner(suite, service: "petition").ok("aid.decide", ["aid_id": opened["id"]!, "decision": "approved", "amount": 50_000, "now": .string(Self.decidedAt)])
            var recorded: JSONValue?
            try await waitFor {
                recorded = try await Runner(suite).ok("case.get", ["case_id": .string(caseID)])
                return recorded?["aid_decision"] == "approved"
            }
            #expect(recorded?["aid_id"] == opened["id"])
            #expect(recorded?["aid_amount"]?.doubleValue == 50_000)

            // Every event of the flow shares the referral's correlationid.
            let childrenLog = try await Self.log(suite, "children")
            let referred = try #require(childrenLog.first { $0["type"] == "children.abuse.referred" })
            let flow = try #require(referred["correlationid"]?.stringValue)
            try await waitFor {
                try await Self.log(suite, "coordinator").filter { $0["type"] == "coordinator.route.delivered" }.count == 2
            }
            var flowTypes: [String] = []
            for service in ["children", "petition", "coordinator"] {
                for event in try await Self.log(suite, service) where event["correlationid"] == .string(flow) {
                    flowTypes.append(event["type"]!.stringValue!)
                }
            }
            #expect(Set(flowTypes) == [
                "children.abuse.referred", "petition.aid.opened", "coordinator.route.delivered", "petition.aid.decided", "children.aid.recorded",
            ])
            #expect(flowTypes.count == 6)
            let delivered = try await Self.log(suite, "coordinator").filter { $0["type"] == "coordinator.route.delivered" }
            #expect(delivered.first?["causationid"] == referred["id"])
        }
    }

    @Test("Petition is down while a referral is pending and its delivery keeps failing: the aid is opened exactly once when it is back")
    func targetDown() async throws {
        try await Self.withFlow { suite in
            await suite.processes["petition"]?.stop()
            let (_, caseID) = try await Self.referral(suite)
            // Down long enough for the delivery to have been tried and retried.
            var pending: [JSONValue] = []
            try await waitFor(.seconds(60)) {
                pending = try await Runner(suite, service: "coordinator").ok("delivery.list", ["status": "pending"])["deliveries"]?.arrayValue ?? []
                return (pending.first?["attempts"]?.intValue ?? 0) >= 2
            }
            #expect(pending.count == 1)
            // Where an operator looks: the failing delivery and the silent source, each named.
            #expect(HardeningSystemTests.logged(suite, "coordinator", [
                "level=warning", "delivery failed; will retry", "rule=abuse-referral-opens-aid", "target=petition", "code=timeout",
            ]))
            try await waitFor { HardeningSystemTests.logged(suite, "coordinator", ["level=warning", "source stopped answering", "source=petition"]) }
            try await suite.start("petition")
            try await Self.settled(suite)
            #expect(try await Self.aidBySource(suite)[caseID]?.count == 1)
            #expect(HardeningSystemTests.logged(suite, "coordinator", ["delivered after failed attempts", "target=petition"]))
            try await waitFor { HardeningSystemTests.logged(suite, "coordinator", ["source heard again", "source=petition"]) }
            let stats = try await Runner(suite, service: "coordinator").ok("routes.stats")["routes"]?.arrayValue ?? []
            #expect(stats.first { $0["rule_id"] == "abuse-referral-opens-aid" }?["delivered"] == 1)
        }
    }

    @Test("A target that does not answer holds up its own routes only: while petition's route waits out a 20 s timeout, a legal-aid request goes to lawyer and its answer back to the child's case at once")
    func targetsIndependent() async throws {
        try await TestSuite.with(
            services: ["children", "petition", "lawyer", "coordinator"], runtime: "heartbeat_interval_ms = 100\nrequest_timeout_ms = 20000",
            serviceKeys: [
                "children": "scan_interval_ms = 0", "petition": PetitionSystemTests.keys(), "lawyer": LawyerSystemTests.lawyerKeys,
                "coordinator": """
                    follow = ["children", "lawyer"]
                    routes_file = "\(TestRepository.path)/config/routes.toml"
                    retry_base_ms = 50
                    retry_max_ms = 1000
                    """,
            ]
        ) { suite in
            for service in ["bus", "children", "petition", "lawyer", "coordinator"] { try await suite.start(service) }
            try await LawyerSystemTests.lawyer(Runner(suite, service: "lawyer"), licence: "13205200810000009", capacity: 3)
            await suite.processes["petition"]?.stop()
            _ = try await Self.referral(suite)
            // The referral's route to petition is out and unanswered: its lane waits the full timeout.
            try await waitFor {
                let pending = try await Runner(suite, service: "coordinator").ok("delivery.list", ["status": "pending"])["deliveries"]?.arrayValue ?? []
                return pending.contains { $0["target"] == "petition" }
            }
            let (caseID, _) = try await LawyerSystemTests.legalAidRequest(suite)
            // Two routes (children → lawyer, lawyer → children), well inside the 20 s that one
            // delivery at a time would have spent waiting for petition first.
            var lawyer: String?
            try await waitFor(.seconds(10)) { lawyer = try await LawyerSystemTests.recordedLawyer(suite, caseID); return lawyer != nil }
            #expect(lawyer != nil)
            let pending = try await Runner(suite, service: "coordinator").ok("delivery.list", ["status": "pending"])["deliveries"]?.arrayValue ?? []
            #expect(pending.map { $0["target"] } == ["petition"], "petition's route is still waiting")
            try await suite.start("petition")
            try await Self.settled(suite, sources: ["children", "lawyer"])
            #expect(try await Self.aidBySource(suite).count == 1)
        }
    }

    @Test("The coordinator is killed with SIGKILL mid-flow and restarted: every referral gets its aid, none twice")
    func coordinatorKilled() async throws {
        try await Self.withFlow { suite in
            var cases: [String] = []
            for index in 0..<30 {
                cases.append(try await Self.referral(suite).case)
                if index == 12 { suite.processes["coordinator"]?.signal(SIGKILL) }
            }
            _ = await suite.processes["coordinator"]?.waitForExit()
            try await suite.start("coordinator")
            try await waitFor { try await Self.aidBySource(suite).filter { cases.contains($0.key) }.count == 30 }
            try await Self.settled(suite)
            let bySource = try await Self.aidBySource(suite)
            #expect(cases.allSatisfy { bySource[$0]?.count == 1 })
            let deliveries = try await Runner(suite, service: "coordinator").ok("delivery.list", ["rule_id": "abuse-referral-opens-aid", "limit": 1000])
            #expect(deliveries["deliveries"]?.arrayValue?.count == 30)
            #expect(deliveries["deliveries"]?.arrayValue?.allSatisfy { $0["status"] == "delivered" } == true)
            // The routed arguments are an object on the wire, as the command at the target got them.
            let routed = deliveries["deliveries"]?.arrayValue?.first?["args"]
            #expect(routed?["source_ref"]?.stringValue?.isEmpty == false, "\(String(describing: routed))")
            // The same listing as a table for an admin, a flow's routes by its id.
            let flow = deliveries["deliveries"]?.arrayValue?.first?["correlation_id"]?.stringValue ?? ""
            let table = try await suite.banshictl([
                "records", "coordinator", "delivery.list", "--where", "correlation_id=\(flow)", "--columns", "status,target,command,attempts",
            ])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.split(separator: "\n").map { $0.split(separator: " ") } == [["STATUS", "TARGET", "COMMAND", "ATTEMPTS"], ["delivered", "petition", "aid.open", "1"]])
            // Every column at once: the routed arguments are cut to a line's worth, the ids stay whole.
            let overview = try await suite.banshictl(["records", "coordinator", "delivery.list", "--where", "correlation_id=\(flow)"])
            let row = overview.stdout.split(separator: "\n").last.map(String.init) ?? ""
            #expect(row.hasPrefix("abuse-referral-opens-aid/\(flow)  delivered") && row.hasSuffix("…"), "\(overview)")
            #expect(overview.stderr.contains("values longer than 48 columns are cut (…) in args; --columns id,args or --json shows them whole"))
        }
    }

    @Test("A malformed rule file is refused with the rule and the field; the old rules keep routing")
    func badReload() async throws {
        let routes = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).toml").path
        try FileManager.default.copyItem(atPath: "\(TestRepository.path)/config/routes.toml", toPath: routes)
        defer { try? FileManager.default.removeItem(atPath: routes) }
        try await Self.withFlow(routes: routes) { suite in
            let coordinator = Runner(suite, service: "coordinator")
            let original = try String(contentsOfFile: routes, encoding: .utf8)
            try original.replacingOccurrences(of: "equals = \"children\"", with: "equal = \"children\"").write(toFile: routes, atomically: true, encoding: .utf8)
            let refused = try #require(try await coordinator.failure("rules.reload"))
            #expect(refused.code == .invalidArgument)
            #expect(refused.details["rule"] == "aid-decision-to-child-case")
            #expect(refused.details["field"] == "when.equal")
            #expect(refused.message.contains("route 'aid-decision-to-child-case': when.equal"))
            #expect(HardeningSystemTests.logged(suite, "coordinator", [
                "level=warning", "rule reload refused; the rules in force stay", "route 'aid-decision-to-child-case': when.equal",
            ]))

            // SIGHUP with the file still bad changes nothing either.
            suite.processes["coordinator"]?.signal(SIGHUP)
            let (_, caseID) = try await Self.referral(suite)
            try await waitFor { try await Self.aidBySource(suite)[caseID]?.count == 1 }
            #expect(try await coordinator.ok("routes.list")["routes"]?.arrayValue?.count == 4, "the rules whose targets this suite has")

            // With the file good again, SIGHUP reloads it, as `systemctl reload` would.
            try original.replacingOccurrences(of: "id = \"aid-decision-to-child-case\"", with: "id = \"aid-decision-back\"")
                .write(toFile: routes, atomically: true, encoding: .utf8)
            suite.processes["coordinator"]?.signal(SIGHUP)
            try await waitFor {
                try await coordinator.ok("routes.list")["routes"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
                    == ["abuse-referral-opens-aid", "aid-decision-back", "duty-lawyer-to-child-case", "unsafe-food-for-minors-opens-prevention"]
            }
            #expect(try await Self.log(suite, "coordinator").filter { $0["type"] == "coordinator.rules.reloaded" }.count == 1)
        }
    }

    @Test("A permanent error goes to the dead-letter list; fixed and retried from there, it is delivered; a disabled rule does not fire")
    func deadLetters() async throws {
        let routes = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).toml").path
        let original = try String(contentsOfFile: "\(TestRepository.path)/config/routes.toml", encoding: .utf8)
        try original.replacingOccurrences(of: "command = \"aid.open\"", with: "command = \"aid.opn\"").write(toFile: routes, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: routes) }
        try await Self.withFlow(routes: routes) { suite in
            let coordinator = Runner(suite, service: "coordinator")
            let (_, caseID) = try await Self.referral(suite)
            var dead: [JSONValue] = []
            try await waitFor { dead = try await coordinator.ok("dlq.list")["dead"]?.arrayValue ?? []; return dead.count == 1 }
            #expect(dead.first?["last_error"]?.stringValue?.hasPrefix("unknown_command") == true)
            #expect(HardeningSystemTests.logged(suite, "coordinator", ["level=error", "route dead-lettered", "code=unknown_command", "target="]))
            let failed = try await Self.log(suite, "coordinator").filter { $0["type"] == "coordinator.route.failed" }
            #expect(failed.count == 1)

            let listed = try await suite.banshictl(["dlq", "list"])
            #expect(listed.status == 0 && listed.stdout.contains("unknown_command"))
            try original.write(toFile: routes, atomically: true, encoding: .utf8)
            try await coordinator.ok("rules.reload")
            let retried = try await suite.banshictl(["dlq", "retry", dead[0]["id"]!.stringValue!])
            #expect(retried.status == 0)
            try await waitFor { try await Self.aidBySource(suite)[caseID]?.count == 1 }
            #expect(try await suite.banshictl(["dlq", "list"]).stdout == "(none)\n")  // never a bare header

            #expect(try await suite.banshictl(["routes", "disable", "abuse-referral-opens-aid"]).status == 0)
            let routesTable = try await suite.banshictl(["routes", "list"])
            let ruleRow = routesTable.stdout.split(separator: "\n").first { $0.hasPrefix("abuse-referral-opens-aid ") }
            #expect(ruleRow?.split(separator: " ").contains("off") == true, "\(routesTable.stdout)")
            let (_, ignored) = try await Self.referral(suite)
            // Counted only once the coordinator has consumed the referral and has nothing pending.
            try await Self.settled(suite)
            #expect(try await Self.aidBySource(suite)[ignored] == nil)
            #expect(try await suite.banshictl(["routes", "enable", "abuse-referral-opens-aid"]).status == 0)
            let stats = try await suite.banshictl(["routes", "stats", "--json"])
            let rows = try JSONValue.parse(Array(stats.stdout.utf8))["routes"]?.arrayValue ?? []
            #expect(rows.first { $0["rule_id"] == "abuse-referral-opens-aid" }?["delivered"] == 1)
        }
    }

    @Test("Loop protection: rules that feed each other stop at the hop limit, into the dead-letter list")
    func hopLimit() async throws {
        let routes = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).toml").path
        let loop = """
            [[route]]
            id = "referral"
            topic = "children.abuse.referred"
            target = "petition"
            command = "aid.open"
            [route.args]
            category = "minor"
            source_service = "children"
            source_ref = "{data.case_id}"
            beneficiary_ref = "{data.child_id}"

            # Each aid opened opens another: a loop only the hop limit stops.
            [[route]]
            id = "echo"
            topic = "petition.aid.opened"
            target = "petition"
            command = "aid.open"
            [route.args]
            category = "minor"
            source_service = "public-interest"
            source_ref = "{data.aid_id}"
            beneficiary_ref = "{data.aid_id}"
            """
        try loop.write(toFile: routes, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: routes) }
        try await Self.withFlow(routes: routes, coordinatorKeys: "max_hops = 4") { suite in
            _ = try await Self.referral(suite)
            let coordinator = Runner(suite, service: "coordinator")
            try await waitFor { (try await coordinator.ok("dlq.list")["dead"]?.arrayValue?.count ?? 0) == 1 }
            try await Self.settled(suite)
            let dead = try await coordinator.ok("dlq.list")["dead"]?.arrayValue ?? []
            #expect(dead.count == 1)
            #expect(dead.first?["last_error"]?.stringValue?.contains("hop limit") == true)
            #expect(try await Runner(suite, service: "petition").ok("aid.list")["aid_cases"]?.arrayValue?.count == 4)
        }
    }

    @Test("A malformed rule file at start stops the coordinator with exit 78, naming the key, the rule and the field")
    func badStart() async throws {
        let routes = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).toml").path
        try "[[route]]\nid = \"r\"\ntopic = \"children.abuse.referred\"\ntarget = \"nowhere\"\ncommand = \"x\"\n".write(
            toFile: routes, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: routes) }
        try await TestSuite.with(services: ["children", "coordinator"], serviceKeys: ["coordinator": "follow = [\"children\"]\nroutes_file = \"\(routes)\""]) { suite in
            let process = try suite.launch("banshi-coordinator", [])
            let status = await process.waitForExit()
            #expect(status == 78)
            #expect(process.log.contains("services.coordinator.routes_file"))
            #expect(process.log.contains("route 'r': target"))
        }
    }
}
