import BanshiKit

/// The report's indicators as CSV (RFC 4180): one row per indicator.
enum ReportCSV {
    static func render(_ report: Report) -> String {
        var lines = ["program,indicator,title,kind,value,target,progress,status,numerator,denominator,from,to,pending"]
        for indicator in report.indicators {
            let fields = ["program", "id", "title", "kind", "value", "target", "progress", "status", "numerator", "denominator"].map { key in
                switch indicator[key] {
                case .string(let text)?: text
                case nil, .null?: ""
                case let other?: other.serialized()
                }
            }
            let pending = indicator["pending"]?.intValue.map(String.init) ?? ""
            lines.append((fields + [report.from.description, report.to.description, pending]).map(escape).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
