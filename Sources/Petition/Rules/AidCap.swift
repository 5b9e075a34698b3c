import BanshiKit

/// The cap on a judicial-aid amount: normally 36 months of the province's average monthly wage of the
/// year before the decision (人民检察院国家司法救助工作细则). A minor with a serious injury or in need of
/// long-term therapy may exceed it, with the reason recorded.
public struct AidCap: Sendable {
    public static let months = 36

    /// Average monthly wage by year, in yuan (`config/aid-wages.toml`).
    public let wages: [Int: Double]
    /// Where the wages were read from (`-` for a table made in code).
    public let file: String

    public init(wages: [Int: Double], file: String = "-") {
        self.wages = wages
        self.file = file
    }

    /// Reads `[wages]` of a TOML file: `2025 = 9200` per year.
    public init(file: String) throws(ConfigError) {
        let table = try ConfigTable.load(file: file)
        try table.rejectUnknownKeys(["wages"])
        let section = try table.table("wages")
        var wages: [Int: Double] = [:]
        for key in section.values.keys {
            guard let year = Int(key), (2000...2100).contains(year) else {
                throw section.error(key, "a year from 2000 to 2100 is expected as the key")
            }
            let wage = try section.number(key)
            guard wage > 0 else { throw section.error(key, "the average monthly wage must be positive") }
            wages[year] = wage
        }
        guard !wages.isEmpty else { throw section.error(nil, "lists no year") }
        self.init(wages: wages, file: file)
    }

    /// The cap for a decision in `decisionYear` and the year whose wage sets it: the year before.
    /// A year's figure is published the following spring, so until it is configured the year before
    /// that stands in (a decision in January 2027 uses 2025's, as the latest published); the year the
    /// decision records says which. With neither configured, `unavailable` names the year before.
    public func cap(forDecisionIn decisionYear: Int) throws(CommandError) -> (amount: Double, wageYear: Int) {
        let year = decisionYear - 1
        guard let (used, wage) = [year, year - 1].lazy.compactMap({ year in self.wages[year].map { (year, $0) } }).first else {
            throw CommandError(
                .unavailable, "no average monthly wage is configured for \(year) (nor \(year - 1), until \(year)'s is published); add it to the aid wage table",
                details: ["year": .int(Int64(year))])
        }
        return (Double(Self.months) * wage, used)
    }

    /// The first day from `today` on, within `horizon` days, on which an approval finds no wage to set
    /// its cap, with the year missing; `nil` when every day in the horizon has one.
    public func firstRefused(from today: CalendarDate, within horizon: Int) -> (day: CalendarDate, year: Int)? {
        let last = today.adding(days: max(0, horizon))
        for year in today.year...last.year where (try? cap(forDecisionIn: year)) == nil {
            return (year == today.year ? today : CalendarDate(year: year, month: 1, day: 1)!, year - 1)
        }
        return nil
    }

    /// Checks `amount` against the cap: above it only for a minor with a serious injury or long-term
    /// therapy, with a reason.
    public func check(
        amount: Double, category: AidCategory, decisionYear: Int, seriousInjuryOrLongTermTherapy: Bool, exceedReason: String?
    ) throws(CommandError) -> (cap: Double, wageYear: Int, exceeds: Bool) {
        guard amount > 0, amount.isFinite else {
            throw CommandError(.invalidArgument, "the amount must be a positive number of yuan", field: "amount")
        }
        let (cap, year) = try cap(forDecisionIn: decisionYear)
        guard amount > cap else { return (cap, year, false) }
        let details: [String: JSONValue] = ["field": "amount", "cap": .double(cap), "wage_year": .int(Int64(year))]
        guard category == .minor, seriousInjuryOrLongTermTherapy else {
            throw CommandError(
                .invalidArgument,
                "\(Self.format(amount)) yuan exceeds the cap of \(Self.format(cap)) (36 × the \(year) average monthly wage); only a minor with a serious injury or long-term therapy may exceed it",
                details: details)
        }
        guard let reason = exceedReason?.trimmingWhitespace, !reason.isEmpty else {
            throw CommandError(
                .invalidArgument, "exceeding the cap of \(Self.format(cap)) yuan for a minor needs a recorded reason (exceed_reason)",
                details: details.merging(["field": "exceed_reason"]) { _, new in new })
        }
        return (cap, year, true)
    }

    static func format(_ amount: Double) -> String { DecimalText.fixed(amount, digits: 2) }
}
