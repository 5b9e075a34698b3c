import BanshiKit
import BanshiTesting
import Foundation

/// The real state-changing commands a program service is measured with: registrations, decisions and
/// deadline-bearing records, each with its audit entry and stored reply, as users send them.
struct ProgramMix: Sendable {
    let service: String
    /// What each command is, for the report.
    let description: String
    /// The request for the `index`-th command of a run labelled `label`.
    let make: @Sendable (_ label: String, _ index: Int) -> CommandRequest

    static let services = ["children", "petition", "enterprise", "lawyer", "public-interest"]

    /// The config section of each service of the suite: the shipped settings files and rules, timers off.
    static func keys(_ repository: String) -> [String: String] {
        [
            "coordinator": "routes_file = \"\(repository)/config/routes.toml\"",
            "reporting": "targets_file = \"\(repository)/config/targets.toml\"",
            "children": "scan_interval_ms = 0",
            "petition": """
                guidelines_dir = "\(repository)/config/guidelines"
                procuratorates_file = "\(repository)/config/procuratorates.toml"
                aid_wages_file = "\(repository)/config/aid-wages.toml"
                scan_interval_ms = 0
                """,
            "enterprise": "scan_interval_ms = 0",
            "lawyer": "scan_interval_ms = 0\ncalendar_file = \"\(repository)/config/calendar.toml\"",
            "public-interest": "scan_interval_ms = 0\nstandards_dir = \"\(repository)/config/standards\"",
        ]
    }

    /// Builds each service's mix, creating what its commands refer to first (children, an enterprise,
    /// a lawyer, a water site, and for petition one applied aid case per decision to come).
    static func prepare(_ suite: TestSuite, decisions: Int) async throws -> [ProgramMix] {
        let children = try await created(suite, "children", "child_id", count: 100) {
            CommandRequest(
                id: "bench-child-\($0)", command: "child.register",
                args: ["name": .string("儿童\($0)"), "birth_date": "2014-06-01", "household_province": "河南省", "migrant_status": "migrant"])
        }
        let aids = try await created(suite, "petition", "aid_id", count: decisions) {
            CommandRequest(
                id: "bench-aid-\($0)", command: "aid.apply",
                args: ["beneficiary_name": .string("赵某\($0)"), "category": "veteran", "procuratorate_id": "xicheng", "situation": "生活困难"])
        }
        let enterprise = "91350100M000100Y43"
        _ = try await suite.call(
            "enterprise", "enterprise.register",
            ["credit_code": .string(enterprise), "name": "某公司", "registered_address": "苏州", "industry": "manufacturing", "size": "small"]
        ).get()
        let firm = try await suite.call("lawyer", "firm.register", ["name": "某律所", "region": "苏州"]).get()["firm_id"]!
        let lawyer = try await suite.call(
            "lawyer", "lawyer.register", ["name": "周律师", "licence": "13205200810000001", "firm_id": firm]
        ).get()["lawyer_id"]!
        let site = try await suite.call(
            "public-interest", "site.register",
            ["kind": "water", "name": "外城河", "district": "姑苏区", "water_body": "river", "target_class": "III"]
        ).get()["site_id"]!
        return [
            ProgramMix(service: "children", description: "child.register, victim-case.register") { label, i in
                i % 2 == 0
                    ? CommandRequest(
                        id: requestID(label, i), command: "child.register",
                        args: ["name": .string("儿童\(i)"), "birth_date": "2014-06-01", "household_province": "河南省", "migrant_status": "migrant"])
                    : CommandRequest(
                        id: requestID(label, i), command: "victim-case.register",
                        args: ["child_id": children[i % children.count], "offence_type": "abuse"])
            },
            ProgramMix(service: "petition", description: "petition.receive (with its deadlines), aid.apply, aid.decide") { label, i in
                switch i % 3 {
                case 0:
                    CommandRequest(
                        id: requestID(label, i), command: "petition.receive",
                        args: ["petitioner_name": "孙某", "category": "complaint", "summary": "来信反映", "procuratorate_id": "nanhu"])
                case 1:
                    CommandRequest(
                        id: requestID(label, i), command: "aid.apply",
                        args: ["beneficiary_name": "赵某", "category": "veteran", "procuratorate_id": "xicheng", "situation": "生活困难"])
                default:
                    CommandRequest(
                        id: requestID(label, i), command: "aid.decide",
                        args: ["aid_id": aids[(i / 3) % max(1, aids.count)], "decision": "approved", "amount": 1000, "now": "2026-05-01T00:00:00Z"])
                }
            },
            ProgramMix(service: "enterprise", description: "card.collect (answer due), consultation.record") { label, i in
                i % 2 == 0
                    ? CommandRequest(
                        id: requestID(label, i), command: "card.collect",
                        args: ["enterprise_id": .string(enterprise), "category": "compliance", "suggestion": "希望提供合规指引"])
                    : CommandRequest(
                        id: requestID(label, i), command: "consultation.record",
                        args: ["enterprise_id": .string(enterprise), "kind": "legal-consultation", "summary": "劳动合同风险"])
            },
            // The file reviews are dated on a day the shipped calendar covers: one made today can fall
            // due in a year it does not list yet, and is then refused.
            ProgramMix(service: "lawyer", description: "complaint.receive, file-review.request (each with its deadline)") { label, i in
                i % 2 == 0
                    ? CommandRequest(
                        id: requestID(label, i), command: "complaint.receive", args: ["lawyer_id": lawyer, "kind": "other", "description": "阅卷受阻"])
                    : CommandRequest(
                        id: requestID(label, i), command: "file-review.request",
                        args: ["lawyer_id": lawyer, "case_number": .string("苏检刑诉〔2026〕\(i)号"), "requested_on": "2026-06-01"])
            },
            ProgramMix(service: "public-interest", description: "sample.water (judged against the standard), site.register") { label, i in
                i % 2 == 0
                    ? CommandRequest(id: requestID(label, i), command: "sample.water", args: ["site_id": site, "nh3n": 0.5, "tp": 0.08, "cod": 15])
                    : CommandRequest(
                        id: requestID(label, i), command: "site.register",
                        args: ["kind": "water", "name": .string("河段\(i)"), "district": "姑苏区", "water_body": "river", "target_class": "III"])
            },
        ]
    }

    /// The id of a run's `index`-th request. Ids grow as the run goes, as those of banshictl and of the
    /// client library (UUIDv7) do: a service keeps each reply by its request id, and ids in random
    /// order would each dirty a random page of that index.
    static func requestID(_ label: String, _ index: Int) -> String {
        let digits = String(index)
        return label + "-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// Sends `count` requests to `service` in pipelined chunks and returns `field` of each reply.
    static func created(
        _ suite: TestSuite, _ service: String, _ field: String, count: Int, _ make: (Int) -> CommandRequest
    ) async throws -> [JSONValue] {
        var values: [JSONValue] = []
        for start in stride(from: 0, to: count, by: 500) {
            let replies = try await suite.pipeline(service, (start..<min(count, start + 500)).map(make), timeout: .seconds(60))
            for reply in replies { values.append(try reply.get()[field] ?? .null) }
        }
        return values
    }
}
