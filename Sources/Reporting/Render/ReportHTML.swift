import BanshiKit
import Foundation

/// The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts, no fetches.
enum ReportHTML {
    static let palette = ["#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#dc2626"]

    static func render(_ report: Report) -> String {
        let scope = report.program.map { "program \(escape($0))" } ?? "all programs"
        let met = report.indicators.filter { $0["status"] == "met" }.count
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Banshi report \(report.from) – \(report.to)</title>
            <style>
            \(css)
            </style>
            </head>
            <body>
            <header>
              <h1>检察为民 · Banshi programme report</h1>
              <p class="meta">\(report.from) to \(report.to) · \(scope) · generated \(escape(Timestamp.format(report.generatedAt)))</p>
            </header>
            <section class="cards">
              <div class="card"><span class="big">\(report.indicators.count)</span><span>indicators</span></div>
              <div class="card ok"><span class="big">\(met)</span><span>on target</span></div>
              <div class="card behind"><span class="big">\(report.indicators.count - met)</span><span>behind or no data</span></div>
            </section>
            \(report.rebuilding == nil ? "" : "<p class=\"warning\">A rebuild is in progress: figures are partial.</p>")
            <section>
              <h2>Progress against each target</h2>
              \(progressChart(report.indicators))
            </section>
            <section>
              <h2>Events over time per program (per \(escape(report.series["unit"]?.stringValue ?? "day")))</h2>
              \(seriesChart(report.series))
            </section>
            <section>
              <h2>Indicators</h2>
              \(table(report.indicators))
            </section>
            <footer>Indicators are computed from the services' events, kept by banshi-reporting; targets from config/targets.toml.</footer>
            </body>
            </html>

            """
    }

    static let css = """
        :root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --ok: #059669; --behind: #d97706; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1040px; padding: 32px 24px 48px; font: 15px/1.5 -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #f8fafc; }
        h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 12px; }
        .meta { color: var(--muted); margin: 0; }
        .cards { display: flex; gap: 16px; margin-top: 24px; }
        .card { flex: 1; background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 16px 20px; display: flex; flex-direction: column; }
        .card .big { font-size: 32px; font-weight: 700; } .card.ok .big { color: var(--ok); } .card.behind .big { color: var(--behind); }
        section > svg { background: #fff; border: 1px solid var(--line); border-radius: 12px; width: 100%; height: auto; }
        table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 12px; overflow: hidden; }
        th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #f1f5f9; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .status-met { color: var(--ok); font-weight: 600; } .status-behind, .status-no-data { color: var(--behind); font-weight: 600; }
        .explain { color: var(--muted); font-size: 13px; }
        .warning { background: #fef3c7; border: 1px solid #fcd34d; padding: 8px 12px; border-radius: 8px; }
        footer { color: var(--muted); font-size: 13px; margin-top: 32px; }
        """

    /// One horizontal bar per indicator: progress towards its target, the target line at the end.
    static func progressChart(_ indicators: [JSONValue]) -> String {
        let rowHeight = 50
        let left = 330
        let width = 980
        let barWidth = width - left - 140
        let height = max(indicators.count, 1) * rowHeight + 30
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Progress against targets\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">"
        for (index, indicator) in indicators.enumerated() {
            let y = 16 + index * rowHeight
            let progress = indicator["progress"]?.doubleValue ?? 0
            let met = indicator["status"] == "met"
            let colour = met ? "#059669" : "#d97706"
            // "中文 English": the Chinese name on the first line, the English one smaller below it.
            let title = indicator["title"]?.stringValue ?? ""
            let split = title.firstIndex(of: " ").map { (String(title[..<$0]), String(title[title.index(after: $0)...])) } ?? (title, "")
            svg += "<text x=\"16\" y=\"\(y + 14)\" fill=\"#0f172a\" font-weight=\"600\">\(escape(split.0))</text>"
            svg += "<text x=\"16\" y=\"\(y + 31)\" fill=\"#64748b\" font-size=\"12\">\(escape(split.1))</text>"
            svg += "<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"20\" rx=\"6\" fill=\"#e2e8f0\"/>"
            svg += "<rect class=\"bar\" x=\"\(left)\" y=\"\(y + 4)\" width=\"\(Int(Double(barWidth) * progress))\" height=\"20\" rx=\"6\" fill=\"\(colour)\"/>"
            svg += "<line x1=\"\(left + barWidth)\" y1=\"\(y)\" x2=\"\(left + barWidth)\" y2=\"\(y + 28)\" stroke=\"#0f172a\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(left + barWidth + 10)\" y=\"\(y + 19)\" fill=\"#0f172a\" font-weight=\"600\">\(escape(shown(indicator)))</text>"
        }
        return svg + "</svg>"
    }

    /// A grouped bar chart: per bucket, one bar per program, with axes, gridlines and a legend.
    static func seriesChart(_ series: JSONValue) -> String {
        let buckets = series["buckets"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let programs = (series["programs"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
        let width = 980
        let height = 320
        let left = 56
        let bottom = 260
        let top = 24
        let maximum = max(1, programs.flatMap { $0.value.arrayValue?.compactMap(\.intValue) ?? [] }.max() ?? 1)
        let scale = niceCeiling(maximum)
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Events over time per program\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
        for step in 0...4 {
            let value = scale * Int64(step) / 4
            let y = bottom - Int(Double(bottom - top) * Double(value) / Double(scale))
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 16)\" y2=\"\(y)\" stroke=\"#e2e8f0\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" text-anchor=\"end\" fill=\"#64748b\">\(value)</text>"
        }
        let slot = Double(width - 16 - left) / Double(max(buckets.count, 1))
        let barWidth = max(1, slot * 0.8 / Double(max(programs.count, 1)))
        let labelEvery = max(1, buckets.count / 12)
        for (index, bucket) in buckets.enumerated() {
            let x0 = Double(left) + slot * Double(index) + slot * 0.1
            for (programIndex, program) in programs.enumerated() {
                let count = program.value.arrayValue?[index].intValue ?? 0
                let barHeight = Double(bottom - top) * Double(count) / Double(scale)
                let x = x0 + barWidth * Double(programIndex)
                svg += "<rect class=\"bar\" x=\"\(format(x))\" y=\"\(format(Double(bottom) - barHeight))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" fill=\"\(palette[programIndex % palette.count])\"><title>\(escape(program.key)) \(escape(bucket)): \(count)</title></rect>"
            }
            if index % labelEvery == 0 {
                svg += "<text x=\"\(format(x0 + slot * 0.4))\" y=\"\(bottom + 18)\" text-anchor=\"middle\" fill=\"#64748b\">\(escape(String(bucket.suffix(5))))</text>"
            }
        }
        svg += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(width - 16)\" y2=\"\(bottom)\" stroke=\"#94a3b8\"/>"
        for (index, program) in programs.enumerated() {
            let x = left + index * 150
            svg += "<rect x=\"\(x)\" y=\"\(height - 30)\" width=\"12\" height=\"12\" rx=\"2\" fill=\"\(palette[index % palette.count])\"/>"
            svg += "<text x=\"\(x + 18)\" y=\"\(height - 20)\" fill=\"#0f172a\">\(escape(program.key))</text>"
        }
        if programs.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"\(bottom / 2)\" text-anchor=\"middle\" fill=\"#64748b\">no events in this range</text>"
        }
        return svg + "</svg>"
    }

    static func table(_ indicators: [JSONValue]) -> String {
        var html = "<table><thead><tr><th>Indicator</th><th>Program</th><th>Value</th><th>Target</th><th>Status</th></tr></thead><tbody>"
        for indicator in indicators {
            let status = indicator["status"]?.stringValue ?? ""
            let target = indicator["kind"] == "rate" ? percent(indicator["target"]?.doubleValue) : number(indicator["target"]?.doubleValue)
            html += "<tr><td>\(escape(indicator["title"]?.stringValue ?? ""))<div class=\"explain\">\(escape(indicator["explanation"]?.stringValue ?? ""))</div></td>"
            html += "<td>\(escape(indicator["program"]?.stringValue ?? ""))</td><td class=\"num\">\(escape(shown(indicator)))</td>"
            html += "<td class=\"num\">\(target)</td><td class=\"status-\(status.replacingOccurrences(of: " ", with: "-"))\">\(escape(status))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// "75.0 % (3/4)" for a rate, "4 / 14" for a count.
    static func shown(_ indicator: JSONValue) -> String {
        if indicator["kind"] == "rate" {
            guard let value = indicator["value"]?.doubleValue else { return "no data" }
            return "\(percent(value)) (\(indicator["numerator"]?.intValue ?? 0)/\(indicator["denominator"]?.intValue ?? 0))"
        }
        return "\(number(indicator["value"]?.doubleValue)) / \(number(indicator["target"]?.doubleValue))"
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "-" }
    static func number(_ value: Double?) -> String { value.map { $0 == $0.rounded() ? String(Int64($0)) : String(format: "%.2f", $0) } ?? "-" }
    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// 1, 2, 5 × 10ⁿ at or above `value`, for a readable axis.
    static func niceCeiling(_ value: Int64) -> Int64 {
        var magnitude: Int64 = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for factor: Int64 in [1, 2, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return value
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
