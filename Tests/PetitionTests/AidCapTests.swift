import BanshiKit
@testable import Petition
import Testing

@Suite("Judicial aid: the 36-month cap and the minor's exception")
struct AidCapTests {
    /// A decision in 2026 is capped by the 2025 wage: 36 × 10,000 = 360,000 yuan.
    let cap = AidCap(wages: [2025: 10_000])

    func check(_ amount: Double, _ category: AidCategory = .petitioner, serious: Bool = false, reason: String? = nil) throws -> Bool {
        try cap.check(amount: amount, category: category, decisionYear: 2026, seriousInjuryOrLongTermTherapy: serious, exceedReason: reason).exceeds
    }

    func error(_ amount: Double, _ category: AidCategory = .petitioner, serious: Bool = false, reason: String? = nil) -> CommandError? {
        do {
            _ = try cap.check(amount: amount, category: category, decisionYear: 2026, seriousInjuryOrLongTermTherapy: serious, exceedReason: reason)
            return nil
        } catch { return error }
    }

    @Test("Exactly 36 × the previous year's wage is allowed; one yuan more is not, and the error names the cap")
    func boundary() throws {
        #expect(try check(360_000) == false)
        let above = try #require(error(360_001))
        #expect(above.code == .invalidArgument)
        #expect(above.details["field"] == "amount")
        #expect(above.details["cap"] == .double(360_000))
        #expect(above.details["wage_year"] == 2025)
    }

    @Test("A minor seriously injured or in long-term therapy may exceed it, with a reason")
    func minor() throws {
        #expect(try check(500_000, .minor, serious: true, reason: "长期康复治疗") == true)
        #expect(error(500_000, .minor, serious: true, reason: nil)?.details["field"] == "exceed_reason")
        #expect(error(500_000, .minor, serious: true, reason: "  ")?.details["field"] == "exceed_reason")
        #expect(error(500_000, .minor, serious: false, reason: "长期康复治疗")?.details["field"] == "amount")
        #expect(error(500_000, .disabled, serious: true, reason: "长期康复治疗")?.details["field"] == "amount")
        #expect(try check(360_000, .minor) == false)
    }

    @Test("Until the year before is published, the year before that sets the cap; with neither, unavailable names the year; a non-positive amount is invalid")
    func missing() throws {
        let cap = self.cap
        #expect(try cap.cap(forDecisionIn: 2027) == (360_000, 2025), "2026's figure comes out in the spring of 2027")
        let both = AidCap(wages: [2025: 10_000, 2026: 11_000])
        #expect(try both.cap(forDecisionIn: 2027) == (396_000, 2026), "once it is configured, it sets the cap")
        #expect(try both.cap(forDecisionIn: 2026) == (360_000, 2025), "a later figure never applies to an earlier decision")
        #expect(throws: CommandError(
            .unavailable, "no average monthly wage is configured for 2027 (nor 2026, until 2027's is published); add it to the aid wage table",
            details: ["year": 2027])
        ) {
            _ = try cap.cap(forDecisionIn: 2028)
        }
        #expect(error(0)?.details["field"] == "amount")
        #expect(error(-5)?.code == .invalidArgument)
    }

    @Test("Ahead of a year with no wage to stand in: the first day approvals are refused is warned of within 60 days, and status shows it")
    func yearAhead() throws {
        let table = try AidCap(file: "config/aid-wages.toml")
        // The shipped table ends at 2025: 2026's decisions use it, 2027's too (until 2026's is published), 2028's find none.
        #expect(table.firstRefused(from: CalendarDate("2026-12-02")!, within: 60) == nil)
        #expect(AidWageOutlook.warning(table, today: CalendarDate("2027-11-01")!) == nil, "61 days ahead: not yet")
        #expect(AidWageOutlook.warning(table, today: CalendarDate("2027-11-02")!) == """
            the aid wage table config/aid-wages.toml has no average monthly wage for 2027: aid approvals will be refused \
            (unavailable) from 2028-01-01; add it as the provincial statistics bureau publishes it
            """)
        #expect(AidWageOutlook.warning(table, today: CalendarDate("2028-03-01")!)?.contains("are refused (unavailable) from today") == true)
        #expect(AidWageOutlook.status(table, today: CalendarDate("2026-12-02")!) == [
            "file": "config/aid-wages.toml", "years": [2021, 2022, 2023, 2024, 2025], "wage_year_today": 2025, "refused_from": "2028-01-01",
        ])
        #expect(AidWageOutlook.status(table, today: CalendarDate("2028-03-01")!)["wage_year_today"] == .null)
        #expect(AidWageOutlook.status(table, today: CalendarDate("2025-06-01")!)["refused_from"] == .null, "400 days ahead have a wage")
    }

    @Test("The shipped wage table reads and covers last year")
    func shipped() throws {
        let table = try AidCap(file: "config/aid-wages.toml")
        #expect(table.wages[2025] == 10_610)
        #expect(try table.cap(forDecisionIn: 2026).amount == 381_960)
    }
}
