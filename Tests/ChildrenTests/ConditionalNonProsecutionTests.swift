import BanshiKit
import Children
import Testing

@Suite("Conditional non-prosecution: every statutory condition at its boundary")
struct ConditionalNonProsecutionTests {
    let born = CalendarDate("2008-03-15")!

    func facts(offence: String = "2025-06-01", chapter: Int = 5, sentence: Int = 12, repentance: Bool = true) -> ConditionalNonProsecution.Facts {
        .init(birthDate: born, offenceDate: CalendarDate(offence)!, crimeChapter: chapter, likelySentenceMonths: sentence, repentance: repentance)
    }

    func code(_ body: () throws(CommandError) -> Void) -> ErrorCode? {
        do { try body(); return nil } catch { return error.code }
    }

    @Test("17 years 364 days and the 18th birthday are still minority; the next day is not (周岁 from the day after)")
    func age() {
        #expect(ConditionalNonProsecution.unmetConditions(facts(offence: "2026-03-13")).isEmpty)
        #expect(ConditionalNonProsecution.unmetConditions(facts(offence: "2026-03-15")).isEmpty)
        #expect(ConditionalNonProsecution.unmetConditions(facts(offence: "2026-03-16"))
            == ["the accused was 18 or older at the offence (2026-03-16; 18 from 2026-03-16)"])
        #expect(Minority.adulthood(bornOn: born).description == "2026-03-16")
        #expect(Minority.adulthood(bornOn: CalendarDate("2008-02-29")!).description == "2026-03-01")
        #expect(Minority.isMinor(bornOn: CalendarDate("2008-02-29")!, on: CalendarDate("2026-02-28")!))
    }

    @Test("Only chapters 4, 5 and 6 of the special part qualify", arguments: 1...10)
    func chapters(chapter: Int) {
        let eligible = ConditionalNonProsecution.unmetConditions(facts(chapter: chapter)).isEmpty
        #expect(eligible == [4, 5, 6].contains(chapter))
    }

    @Test("A likely sentence of exactly one year qualifies; a month more does not")
    func sentence() {
        #expect(ConditionalNonProsecution.unmetConditions(facts(sentence: 12)).isEmpty)
        #expect(ConditionalNonProsecution.unmetConditions(facts(sentence: 0)).isEmpty)
        #expect(ConditionalNonProsecution.unmetConditions(facts(sentence: 13)) == ["the likely sentence of 13 months exceeds one year"])
    }

    @Test("Without repentance it is refused, and every unmet condition is listed")
    func repentanceAndAll() {
        #expect(ConditionalNonProsecution.unmetConditions(facts(repentance: false)) == ["the accused has not shown repentance"])
        #expect(ConditionalNonProsecution.unmetConditions(facts(offence: "2027-01-01", chapter: 3, sentence: 36, repentance: false)) == [
            "the accused was 18 or older at the offence (2027-01-01; 18 from 2026-03-16)",
            "the crime is in chapter 3 of the special part, not chapter 4, 5 or 6",
            "the likely sentence of 36 months exceeds one year",
            "the accused has not shown repentance",
        ])
    }

    @Test("Probation of 5 and 13 months is invalid; 6 and 12 are allowed", arguments: [(5, false), (6, true), (12, true), (13, false)])
    func probation(months: Int, allowed: Bool) {
        let result = code { () throws(CommandError) in
            try ConditionalNonProsecution.check(facts(), probationMonths: months, policeHeard: true, victimHeard: true, objection: .none)
        }
        #expect(result == (allowed ? nil : .invalidArgument))
    }

    @Test("An objection by the minor or the guardian refuses the decision with conflict")
    func objection() {
        for objection in [ConditionalNonProsecution.Objection.minor, .guardian] {
            #expect(code { () throws(CommandError) in
                try ConditionalNonProsecution.check(facts(), probationMonths: 6, policeHeard: true, victimHeard: true, objection: objection)
            } == .conflict)
        }
    }

    @Test("The police and the victim must be heard first")
    func hearings() {
        #expect(code { () throws(CommandError) in
            try ConditionalNonProsecution.check(facts(), probationMonths: 6, policeHeard: false, victimHeard: true, objection: .none)
        } == .conflict)
        #expect(code { () throws(CommandError) in
            try ConditionalNonProsecution.check(facts(), probationMonths: 6, policeHeard: true, victimHeard: false, objection: .none)
        } == .conflict)
    }

    @Test("A refusal names every unmet condition at once: age, chapter, sentence, repentance, and both hearings")
    func allReasons() {
        do {
            try ConditionalNonProsecution.check(
                facts(offence: "2027-01-01", chapter: 3, sentence: 36, repentance: false), probationMonths: 6, policeHeard: false, victimHeard: false,
                objection: .none)
            Issue.record("the decision was allowed")
        } catch {
            let reasons = error.details["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(reasons.count == 6, "\(reasons)")
            #expect(reasons.contains { $0.contains("18 or older") } && reasons.contains { $0.contains("chapter 3") })
            #expect(reasons.contains { $0.contains("36 months") } && reasons.contains { $0.contains("repentance") })
            #expect(reasons.contains { $0.hasPrefix("the police") } && reasons.contains { $0.hasPrefix("the victim") })
            #expect(error.details["not_heard"] == ["the police", "the victim"])
        }
    }
}
