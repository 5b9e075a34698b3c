import BanshiKit

/// The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts, no fetches.
enum ReportHTML {
    static let palette = ["#2563eb", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#dc2626"]

    static func render(_ report: Report) -> String {
        let scope = report.program.map { "program \(escape($0))" } ?? "all programs"
        func count(_ status: String) -> Int { report.indicators.filter { $0["status"]?.stringValue == status }.count }
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
              <p class="meta">\(report.from) to \(report.to) (China Standard Time) · \(scope) · generated \(escape(chinaTime(report.generatedAt)))</p>
            </header>
            <section class="cards">
              <div class="card"><span class="big">\(report.indicators.count)</span><span>指标 indicators</span></div>
              <div class="card ok"><span class="big">\(count("met"))</span><span>达标 on target</span></div>
              <div class="card behind"><span class="big">\(count("behind"))</span><span>未达标 behind</span></div>
              <div class="card pending"><span class="big">\(count("pending"))</span><span>待定 pending: cases still open</span></div>
              <div class="card none"><span class="big">\(count("no data"))</span><span>无数据 no data in the range</span></div>
            </section>
            \(report.rebuilding == nil ? "" : "<p class=\"warning\">A rebuild is in progress: figures are partial.</p>")
            <section>
              <h2>Progress against each target</h2>
              \(progressChart(report.indicators))
            </section>
            <section>
              <h2>各项目指标逐月 · Each program's indicators month by month, against the target (100 %)</h2>
              <p class="explain">A rate is that month's rate; a count is the running total since the start of the range. A gap is a month with nothing counted.</p>
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
        .card.pending .big { color: #2563eb; } .card.none .big { color: var(--muted); }
        section > svg { background: #fff; border: 1px solid var(--line); border-radius: 12px; width: 100%; height: auto; }
        table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 12px; overflow: hidden; }
        th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #f1f5f9; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td[class^="status-"] { white-space: nowrap; }
        .status-met { color: var(--ok); font-weight: 600; } .status-behind { color: var(--behind); font-weight: 600; }
        .status-pending { color: #2563eb; font-weight: 600; } .status-no-data { color: var(--muted); }
        .explain { color: var(--muted); font-size: 13px; }
        .warning { background: #fef3c7; border: 1px solid #fcd34d; padding: 8px 12px; border-radius: 8px; }
        footer { color: var(--muted); font-size: 13px; margin-top: 32px; }
        """

    /// One row per indicator on its own scale: a grey bar as long as the target, the value's bar over it
    /// (green on target, amber behind), the target marked by a dark line; a rate's scale is 0–100 %, a
    /// count's reaches past the larger of value and target. Pending and no-data rows say so instead.
    static func progressChart(_ indicators: [JSONValue]) -> String {
        let rowHeight = 50
        let left = 330
        let width = 980
        let barWidth = width - left - 170
        let height = max(indicators.count, 1) * rowHeight + 30
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Each indicator against its target\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">"
        for (index, indicator) in indicators.enumerated() {
            let y = 16 + index * rowHeight
            let status = indicator["status"]?.stringValue ?? ""
            let colour = status == "met" ? "#059669" : "#d97706"
            // "中文 English": the Chinese name on the first line, the English one smaller below it.
            let title = indicator["title"]?.stringValue ?? ""
            let split = title.firstIndex(of: " ").map { (String(title[..<$0]), String(title[title.index(after: $0)...])) } ?? (title, "")
            svg += "<text x=\"16\" y=\"\(y + 14)\" fill=\"#0f172a\" font-weight=\"600\">\(escape(split.0))</text>"
            svg += "<text x=\"16\" y=\"\(y + 31)\" fill=\"#64748b\" font-size=\"12\">\(escape(split.1))</text>"
            let target = indicator["target"]?.doubleValue ?? 0
            guard let value = indicator["value"]?.doubleValue else {
                svg += "<text x=\"\(left)\" y=\"\(y + 19)\" fill=\"#64748b\">\(escape(indicator["status_label"]?.stringValue ?? status))"
                if let pending = indicator["pending"]?.intValue, pending > 0 { svg += escape(" · \(pending) open, deadline not passed") }
                svg += " · target \(escape(IndicatorText.target(indicator)))</text>"
                continue
            }
            let scale = indicator["kind"] == "rate" ? 1 : max(target, value, 1) * 1.15
            func x(_ amount: Double) -> Int { left + Int(Double(barWidth) * min(amount / scale, 1)) }
            svg += "<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(x(target) - left)\" height=\"20\" rx=\"4\" fill=\"#e2e8f0\"><title>target \(escape(IndicatorText.target(indicator)))</title></rect>"
            svg += "<rect class=\"bar\" x=\"\(left)\" y=\"\(y + 8)\" width=\"\(max(x(value) - left, 2))\" height=\"12\" rx=\"3\" fill=\"\(colour)\"/>"
            svg += "<line x1=\"\(x(target))\" y1=\"\(y)\" x2=\"\(x(target))\" y2=\"\(y + 28)\" stroke=\"#0f172a\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(left + barWidth + 12)\" y=\"\(y + 19)\" fill=\"#0f172a\" font-weight=\"600\">\(escape(shown(indicator)))</text>"
        }
        return svg + "</svg>"
    }

    /// Small multiples: one panel per program, a line per indicator as a share of its target over the
    /// months, the target (100 %) dashed, ticks at 0, 50, 100 and 150 %.
    static func seriesChart(_ series: JSONValue) -> String {
        let buckets = series["buckets"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let lines = series["indicators"]?.arrayValue ?? []
        var programs: [String] = []
        for line in lines { if let program = line["program"]?.stringValue, !programs.contains(program) { programs.append(program) } }
        let width = 980
        let panel = 190
        let left = 64
        let plot = 120
        let height = max(programs.count, 1) * panel + 10
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Indicators month by month\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
        let right = width - 260
        let step = Double(right - left) / Double(max(buckets.count - 1, 1))
        for (panelIndex, program) in programs.enumerated() {
            let top = 30 + panelIndex * panel
            let bottom = top + plot
            svg += "<text x=\"16\" y=\"\(top - 10)\" fill=\"#0f172a\" font-weight=\"600\" font-size=\"14\">\(escape(program))</text>"
            func y(_ share: Double) -> Double { Double(bottom) - Double(plot) * min(share, 1.5) / 1.5 }
            for tick in [0.0, 0.5, 1.0, 1.5] {
                let dashed = tick == 1 ? " stroke-dasharray=\"6 4\" stroke=\"#0f172a\"" : " stroke=\"#e2e8f0\""
                svg += "<line x1=\"\(left)\" y1=\"\(format(y(tick)))\" x2=\"\(right)\" y2=\"\(format(y(tick)))\"\(dashed)/>"
                svg += "<text x=\"\(left - 8)\" y=\"\(format(y(tick) + 4))\" text-anchor=\"end\" fill=\"#64748b\">\(Int(tick * 100)) %</text>"
            }
            for (index, bucket) in buckets.enumerated() where buckets.count <= 12 || index % ((buckets.count + 11) / 12) == 0 {
                svg += "<text x=\"\(format(Double(left) + step * Double(index)))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" fill=\"#64748b\">\(escape(monthLabel(bucket, first: index == 0)))</text>"
            }
            for (lineIndex, line) in lines.filter({ $0["program"]?.stringValue == program }).enumerated() {
                let colour = palette[lineIndex % palette.count]
                let shares = line["share_of_target"]?.arrayValue?.map(\.doubleValue) ?? []
                var path = ""
                var pen = false
                for (index, share) in shares.enumerated() {
                    guard let share else { pen = false; continue }
                    path += "\(pen ? "L" : "M")\(format(Double(left) + step * Double(index))) \(format(y(share))) "
                    pen = true
                    svg += "<circle cx=\"\(format(Double(left) + step * Double(index)))\" cy=\"\(format(y(share)))\" r=\"3.5\" fill=\"\(colour)\"><title>\(escape(line["id"]?.stringValue ?? "")) \(escape(buckets[index])): \(Int(share * 100)) % of target</title></circle>"
                }
                if !path.isEmpty { svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"3\"/>" }
                let title = line["title"]?.stringValue ?? ""
                let short = title.firstIndex(of: " ").map { String(title[..<$0]) } ?? title
                let legendY = top + 4 + lineIndex * 18
                // Clear of the last month's label, which is centred on `right`.
                svg += "<rect x=\"\(right + 40)\" y=\"\(legendY)\" width=\"12\" height=\"4\" fill=\"\(colour)\"/>"
                svg += "<text x=\"\(right + 58)\" y=\"\(legendY + 6)\" fill=\"#0f172a\">\(escape(short))</text>"
            }
        }
        if programs.isEmpty {
            svg += "<text x=\"\(width / 2)\" y=\"40\" text-anchor=\"middle\" fill=\"#64748b\">no indicator with a target in this report</text>"
        }
        return svg + "</svg>"
    }

    /// `2026-03` as `3月 Mar`; a January after the first month also names its year (the header names
    /// the range's), so that a range across the new year reads right.
    static func monthLabel(_ bucket: String, first: Bool) -> String {
        let parts = bucket.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return bucket }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return (!first && month == 1 ? "\(parts[0]) " : "") + "\(month)月 \(names[month - 1])"
    }

    /// A time as a manager in China reads it: `2026-11-30 07:21 CST`.
    static func chinaTime(_ date: Timestamp) -> String {
        String(Timestamp.format(date.addingTimeInterval(8 * 3600)).prefix(16)).replacing("T", with: " ") + " CST"
    }

    static func table(_ indicators: [JSONValue]) -> String {
        var html = "<table><thead><tr><th>Indicator</th><th>Program</th><th>Value</th><th>Target</th><th>Status</th></tr></thead><tbody>"
        for indicator in indicators {
            let status = indicator["status"]?.stringValue ?? ""
            let target = IndicatorText.target(indicator)
            var explanation = indicator["explanation"]?.stringValue ?? ""
            if let unmet = indicator["unmet"]?.arrayValue {
                explanation += unmet.isEmpty ? ". None left out." : ". Not yet: " + unmet.compactMap(\.stringValue).joined(separator: ", ") + "."
            }
            html += "<tr><td>\(escape(indicator["title"]?.stringValue ?? ""))<div class=\"explain\">\(escape(explanation))</div></td>"
            html += "<td>\(escape(indicator["program"]?.stringValue ?? ""))</td><td class=\"num\">\(escape(shown(indicator)))</td>"
            html += "<td class=\"num\">\(target)</td><td class=\"status-\(status.replacing(" ", with: "-"))\">\(escape(indicator["status_label"]?.stringValue ?? status))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// The value as the table shows it: a rate's as `IndicatorText` writes it, a count's beside its
    /// target ("4 / 14", "1 / ≤ 0").
    static func shown(_ indicator: JSONValue) -> String {
        indicator["kind"] == "rate" ? IndicatorText.value(indicator) : "\(IndicatorText.value(indicator)) / \(IndicatorText.target(indicator))"
    }

    static func format(_ value: Double) -> String { DecimalText.fixed(value, digits: 1) }

    /// 1, 2, 5 × 10ⁿ at or above `value`, for a readable axis.
    static func niceCeiling(_ value: Int64) -> Int64 {
        var magnitude: Int64 = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for factor: Int64 in [1, 2, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return value
    }

    static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
            .replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }
}
