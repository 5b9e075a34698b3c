import BanshiKit
import BanshiTesting
import Petition
import Testing

@Suite("The petition service's config keys")
struct PetitionSettingsTests {
    @Test("The shipped [services.petition] section reads, wage table included")
    func shipped() throws {
        let config = try SuiteConfig.load(file: "config/banshi.toml")
        let settings = try PetitionSettings(try config.service("petition").table)
        #expect(settings.guidelinesDirectory == "config/guidelines")
        #expect(settings.defaultProcuratorate == "city")
        #expect(settings.aidCap.wages[2025] == 10_610)
        #expect(settings.importOnStart)
    }

    func errorKey(_ section: String) -> String? {
        configErrorKey(service: "petition", section) { table throws(ConfigError) in _ = try PetitionSettings(table) }
    }

    @Test("A missing wage table, an unknown key or a bad interval is named")
    func errors() {
        #expect(errorKey("aid_wages_file = \"/nonexistent.toml\"") == "services.petition.aid_wages_file")
        #expect(errorKey("aid_wage_file = \"x\"") == "services.petition.aid_wage_file")
        #expect(errorKey("scan_interval_ms = -1") == "services.petition.scan_interval_ms")
        #expect(errorKey("") == nil)
    }
}
