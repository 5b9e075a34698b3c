import BanshiKit
import BanshiTesting
import Children
import Testing

@Suite("The children service's config keys")
struct ChildrenSettingsTests {
    @Test("The shipped config's [services.children] section reads, with its documented values")
    func shipped() throws {
        let config = try SuiteConfig.load(file: "config/banshi.toml")
        let settings = try ChildrenSettings(try config.service("children").table)
        #expect(settings.interventionDueHours == 24)
        #expect(settings.remedyFollowUpMonths == 2 && settings.remedyUrgentDays == 15)
        #expect(settings.superviseOrdersSince.description == "2021-06-01")
        #expect(settings.scanInterval == .seconds(60))
    }

    func errorKey(_ section: String) -> String? {
        configErrorKey(service: "children", section) { table throws(ConfigError) in _ = try ChildrenSettings(table) }
    }

    @Test("A bad or unknown key is named in full; 0 turns the timer off")
    func errors() throws {
        #expect(errorKey("intervention_due_hours = 0") == "services.children.intervention_due_hours")
        #expect(errorKey("intervention_due_hour = 24") == "services.children.intervention_due_hour")
        #expect(errorKey("scan_interval_ms = \"often\"") == "services.children.scan_interval_ms")
        #expect(errorKey("scan_interval_ms = 0") == nil)
        let root = try ConfigTable.parse("[services.children]\ncontrol = \"tcp://127.0.0.1:1\"\nscan_interval_ms = 0\n", file: "test.toml")
        #expect(try ChildrenSettings(try root.table("services").table("children")).scanInterval == nil, "0 turns the timer off")
    }
}
