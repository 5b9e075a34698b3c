import BanshiKit

/// The targets of `config/targets.toml`: one per indicator, `[targets] "children.early-intervention" = 1.0`.
/// A rate's target is a fraction (1.0 is 100 %); a count's is a number.
public struct Targets: Sendable {
    public let values: [String: Double]

    public init(values: [String: Double]) { self.values = values }

    /// Reads the file; every indicator needs a target, and a target for no indicator is refused.
    public init(file: String, indicators: [Indicator]) throws(ConfigError) {
        let root = try ConfigTable.load(file: file)
        try root.rejectUnknownKeys(["targets"])
        let table = try root.table("targets")
        try table.rejectUnknownKeys(Set(indicators.map(\.id)))
        var values: [String: Double] = [:]
        for indicator in indicators {
            guard table.values[indicator.id] != nil else {
                throw table.error(indicator.id, "is missing: every indicator needs a target")
            }
            let value = try table.number(indicator.id)
            if indicator.kind == .rate, !(0...1).contains(value) {
                throw table.error(indicator.id, "a rate's target is a fraction from 0 to 1 (1.0 is 100 %), not \(value)")
            }
            guard value >= 0 else { throw table.error(indicator.id, "must not be negative") }
            values[indicator.id] = value
        }
        self.values = values
    }
}
