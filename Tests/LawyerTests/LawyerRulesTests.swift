import BanshiKit
import BanshiTesting
import Lawyer
import Testing

@Suite("Lawyer rules")
struct LawyerRulesTests {
    @Test("A practice licence number is 17 digits")
    func licence() throws {
        #expect(try PracticeLicence("13205200810123456").text == "13205200810123456")
        for bad in ["1320520081012345", "132052008101234567", "1320520081012345X", "１３２０５２００８１０１２３４５６"] {
            #expect(throws: CommandError.self) { try PracticeLicence(bad) }
        }
    }

    @Test("The shipped config reads; a bad key is named; a missing calendar file names calendar_file")
    func settings() throws {
        let config = try SuiteConfig.load(file: "config/banshi.toml")
        let settings = try LawyerSettings(try config.service("lawyer").table)
        #expect(settings.fileReviewWorkingDays == 3 && settings.partnerRegions == ["shanghai", "zhejiang", "anhui"])
        func key(_ section: String) -> String? {
            configErrorKey(service: "lawyer", "calendar_file = \"config/calendar.toml\"\n" + section) { table throws(ConfigError) in _ = try LawyerSettings(table) }
        }
        #expect(key("") == nil)
        #expect(key("escalation_interval_days = 0") == "services.lawyer.escalation_interval_days")
        #expect(configErrorKey(service: "lawyer", "calendar_file = \"/nonexistent.toml\"") { table throws(ConfigError) in _ = try LawyerSettings(table) } == "services.lawyer.calendar_file")
    }

    @Test("Each migration makes exactly the schema in the snapshot, and every CHECK list allows exactly its vocabulary")
    func migrations() throws {
        let text = try ServiceDatabase.schemaSnapshot(LawyerService.definition.migrations)
        let difference = try SchemaSnapshot.compare(text, with: "Tests/LawyerTests/Snapshots/lawyer-migrations.sql")
        #expect(difference == nil, "\(difference ?? "")")
        for (table, column, names) in [
            ("opinion", "topic", OpinionTopic.names), ("complaint", "kind", ComplaintKind.names), ("complaint", "status", ComplaintStatus.names),
            ("file_review", "status", FileReviewStatus.names), ("file_review", "refusal_reason", RefusalReason.names), ("task", "status", TaskStatus.names),
        ] {
            #expect(SchemaSnapshot.allowedValues(in: text, table: table, column: column) == names, "\(table).\(column)")
        }
    }
}
