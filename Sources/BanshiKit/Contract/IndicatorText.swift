/// An indicator of a report (`report`'s JSON) as people read it, the same in banshictl's table and in
/// the HTML report: a rate as "75.0 %", a count as a whole number, a ceiling's target as "≤ 0".
public enum IndicatorText {
    /// The value: "75.0 % (3/4)" for a rate (", 2 pending" when cases are open; "no data" or
    /// "2 pending" before any is settled), "4" for a count.
    public static func value(_ indicator: JSONValue) -> String {
        guard indicator["kind"] == "rate" else { return number(indicator["value"]?.doubleValue) }
        let pending = indicator["pending"]?.intValue ?? 0
        let open = pending > 0 ? ", \(pending) pending" : ""
        guard let value = indicator["value"]?.doubleValue else { return pending > 0 ? "\(pending) pending" : "no data" }
        return "\(percent(value)) (\(indicator["numerator"]?.intValue ?? 0)/\(indicator["denominator"]?.intValue ?? 0)\(open))"
    }

    /// The target: "100.0 %", "14", "≤ 0" for a ceiling.
    public static func target(_ indicator: JSONValue) -> String {
        let target = indicator["kind"] == "rate" ? percent(indicator["target"]?.doubleValue) : number(indicator["target"]?.doubleValue)
        return indicator["ceiling"] == true ? "≤ \(target)" : target
    }

    /// A share as a percentage with one decimal: "87.5 %"; "-" for none.
    public static func percent(_ value: Double?) -> String { value.map { DecimalText.fixed($0 * 100, digits: 1) + " %" } ?? "-" }

    /// A whole number as such, anything else with two decimals; "-" for none.
    public static func number(_ value: Double?) -> String {
        value.map { $0 == $0.rounded() ? String(Int64($0)) : DecimalText.fixed($0, digits: 2) } ?? "-"
    }
}
