import BanshiKit
import BanshiTesting
import Enterprise
import Testing

/// The enterprise program's rules at their boundaries: compliance transitions, the card's due day,
/// the config keys and the schema.
@Suite("Enterprise rules")
struct EnterpriseRulesTests {
    typealias Status = ComplianceProgram.Status

    @Test("Each compliance step is allowed only from its status; every other is a conflict naming the status")
    func transitions() throws {
        let allowed: [ComplianceProgram.Step: [Status]] = [
            .accept: [.proposed], .supervise: [.accepted], .assess: [.supervised], .decide: [.passed, .failed],
        ]
        for step in ComplianceProgram.Step.allCases {
            for status in Status.allCases {
                if allowed[step]!.contains(status) {
                    #expect(throws: Never.self) { try ComplianceProgram.next(after: step, from: status, decision: .prosecution) }
                } else {
                    #expect {
                        try ComplianceProgram.next(after: step, from: status)
                    } throws: { error in
                        let error = error as? CommandError
                        return error?.code == .conflict && error?.details["status"] == .string(status.rawValue)
                    }
                }
            }
        }
        #expect(try ComplianceProgram.next(after: .assess, from: .supervised, passed: true) == .passed)
        #expect(try ComplianceProgram.next(after: .assess, from: .supervised, passed: false) == .failed)
    }

    @Test("A failed assessment leads to prosecution only; a passed one to leniency or prosecution")
    func leniencyNeedsPass() throws {
        for decision in [ComplianceDecision.nonProsecution, .lighterSentencingProposal] {
            #expect(throws: CommandError.self) { try ComplianceProgram.next(after: .decide, from: .failed, decision: decision) }
            #expect(try ComplianceProgram.next(after: .decide, from: .passed, decision: decision) == .decided)
        }
        #expect(try ComplianceProgram.next(after: .decide, from: .failed, decision: .prosecution) == .decided)
    }

    @Test("The shipped config reads; a bad or unknown key is named in full; the categories are five different ones")
    func settings() throws {
        let config = try SuiteConfig.load(file: "config/banshi.toml")
        let settings = try EnterpriseSettings(try config.service("enterprise").table)
        #expect(settings.cardAnswerDays == 15 && settings.cardCategories.count == 5 && settings.healthCheckIntervalDays == 180)
        func key(_ section: String) -> String? {
            configErrorKey(service: "enterprise", section) { table throws(ConfigError) in _ = try EnterpriseSettings(table) }
        }
        #expect(key("card_answer_days = 0") == "services.enterprise.card_answer_days")
        #expect(key("card_categories = [\"a\", \"b\"]") == "services.enterprise.card_categories")
        #expect(key("card_categories = [\"a\", \"b\", \"c\", \"d\", \"d\"]") == "services.enterprise.card_categories")
        #expect(key("card_answer_day = 3") == "services.enterprise.card_answer_day")
        #expect(key("scan_interval_ms = 0") == nil)
    }

    @Test("Each migration makes exactly the schema in the snapshot, and every CHECK list allows exactly its vocabulary")
    func migrations() throws {
        let text = try ServiceDatabase.schemaSnapshot(EnterpriseService.definition.migrations)
        let difference = try SchemaSnapshot.compare(text, with: "Tests/EnterpriseTests/Snapshots/enterprise-migrations.sql")
        #expect(difference == nil, "\(difference ?? "")")
        for (table, column, names) in [
            ("enterprise", "size", EnterpriseSize.names), ("enterprise_case", "role", CaseRole.names),
            ("consultation", "kind", ConsultationKind.names), ("compliance_program", "status", Status.names),
            ("compliance_program", "decision", ComplianceDecision.names), ("risk_notice", "status", RiskNoticeStatus.names),
            ("outreach", "kind", OutreachKind.names),
        ] {
            #expect(SchemaSnapshot.allowedValues(in: text, table: table, column: column) == names, "\(table).\(column)")
        }
    }
}
