import BanshiKit

/// Conditional non-prosecution (附条件不起诉), Criminal Procedure Law arts. 282–284.
///
/// A minor accused of a crime in chapter 4, 5 or 6 of the Criminal Law's special part (against the
/// person and democratic rights, against property, against public order), whose likely sentence is
/// one year's imprisonment or less and who shows repentance, may be given a probation period of 6 to
/// 12 months instead of prosecution, after the police and the victim are heard. If the minor or the
/// guardian objects, the case is prosecuted.
public enum ConditionalNonProsecution {
    /// The chapters of the special part whose crimes qualify.
    public static let eligibleChapters: Set<Int> = [4, 5, 6]
    /// The longest likely sentence that qualifies, in months.
    public static let maximumLikelySentenceMonths = 12
    /// The probation period the law allows, in months.
    public static let probationMonths = 6...12

    /// Who objected to the decision, if anyone.
    public enum Objection: String, Vocabulary {
        case none, minor, guardian
    }

    /// The facts the decision rests on.
    public struct Facts: Sendable {
        public var birthDate: CalendarDate
        public var offenceDate: CalendarDate
        public var crimeChapter: Int
        public var likelySentenceMonths: Int
        public var repentance: Bool

        public init(birthDate: CalendarDate, offenceDate: CalendarDate, crimeChapter: Int, likelySentenceMonths: Int, repentance: Bool) {
            self.birthDate = birthDate
            self.offenceDate = offenceDate
            self.crimeChapter = crimeChapter
            self.likelySentenceMonths = likelySentenceMonths
            self.repentance = repentance
        }
    }

    /// Each statutory condition the facts fail, in words a prosecutor can act on; empty when eligible.
    public static func unmetConditions(_ facts: Facts) -> [String] {
        var unmet: [String] = []
        if !Minority.isMinor(bornOn: facts.birthDate, on: facts.offenceDate) {
            unmet.append("the accused was 18 or older at the offence (\(facts.offenceDate); 18 from \(Minority.adulthood(bornOn: facts.birthDate)))")
        }
        if !eligibleChapters.contains(facts.crimeChapter) {
            unmet.append("the crime is in chapter \(facts.crimeChapter) of the special part, not chapter 4, 5 or 6")
        }
        if facts.likelySentenceMonths > maximumLikelySentenceMonths {
            unmet.append("the likely sentence of \(facts.likelySentenceMonths) months exceeds one year")
        }
        if !facts.repentance {
            unmet.append("the accused has not shown repentance")
        }
        return unmet
    }

    /// Checks the whole decision: eligibility, the hearings, any objection and the probation period.
    public static func check(
        _ facts: Facts, probationMonths months: Int, policeHeard: Bool, victimHeard: Bool, objection: Objection
    ) throws(CommandError) {
        guard probationMonths.contains(months) else {
            throw CommandError(
                .invalidArgument, "the probation period must be 6 to 12 months (CPL art. 283), not \(months)",
                field: "probation_months")
        }
        // Every unmet condition and every missing hearing, all at once: the prosecutor fixes them together.
        let missing = [policeHeard ? nil : "the police", victimHeard ? nil : "the victim"].compactMap { $0 }
        let reasons = unmetConditions(facts) + missing.map { "\($0) have not been heard (CPL art. 282)" }
        guard reasons.isEmpty else {
            var details: [String: JSONValue] = ["reasons": .array(reasons.map { .string($0) })]
            if !missing.isEmpty { details["not_heard"] = .array(missing.map { .string($0) }) }
            throw CommandError(.conflict, "conditional non-prosecution is not available: " + reasons.joined(separator: "; "), details: details)
        }
        guard objection == .none else {
            throw CommandError(
                .conflict, "the \(objection.rawValue) objects to conditional non-prosecution, so the case must be prosecuted (CPL art. 282)",
                details: ["objection": .string(objection.rawValue)])
        }
    }

    /// Why a conditional non-prosecution may be revoked and the minor prosecuted (CPL art. 284).
    public enum RevocationReason: String, Vocabulary {
        /// A new crime during probation.
        case newCrime = "new-crime"
        /// Another crime, committed before the decision, found and needing prosecution.
        case earlierCrimeFound = "earlier-crime-found"
        /// A serious breach of public-order rules or of the supervision rules.
        case seriousBreach = "serious-breach"
    }
}
