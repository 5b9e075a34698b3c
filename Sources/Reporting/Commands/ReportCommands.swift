import BanshiKit
import SQLite

/// Reports: each indicator against its target, as JSON, CSV or one self-contained HTML file.
enum ReportCommands {
    static func make(_ settings: ReportingSettings) -> CommandSpec {
        CommandSpec(
            "report", "the indicators against their targets over a range of days, and the events over time",
            arguments: [
                ArgumentSpec("program", .string, "only this program (children, petition, …)"),
                ArgumentSpec("from", .date, "first day (default: 1 January of the year of `to`)"),
                ArgumentSpec("to", .date, "last day (default: today)"),
                ArgumentSpec("format", .string, choices: ["json", "csv", "html"], "json (default): the figures; csv or html: `content` holds the document"),
            ]
        ) { context in
            let arguments = context.arguments
            let givenTo = arguments.optionalDate("to")
            let to = givenTo ?? CalendarDate(context.now)
            let from = arguments.optionalDate("from") ?? CalendarDate(year: to.year, month: 1, day: 1)!
            // An error names the day that was given: a default follows it and is not the mistake.
            let given = givenTo == nil ? "from" : "to"
            guard from <= to else { throw CommandError(.invalidArgument, "the range ends (\(to)) before it starts (\(from))", field: given) }
            for (name, day) in [("to", to), ("from", from)] where !(2000...2100).contains(day.year) {
                throw CommandError(.invalidArgument, "a report covers days from 2000 to 2100, not \(day)", field: name)
            }
            let program = arguments.optionalString("program")
            if let program, !ProgramIndicators.all.contains(where: { $0.program == program }) {
                let known = Set(ProgramIndicators.all.map(\.program)).sorted().joined(separator: ", ")
                throw CommandError(.invalidArgument, "no indicators for program '\(program)' (known: \(known))", field: "program")
            }
            let now = context.now
            let report = try await context.read { db in
                try Report.compute(db, from: from, to: to, program: program, targets: settings.targets, now: now)
            }
            switch arguments.optionalString("format") ?? "json" {
            case "csv": return ["format": "csv", "content": .string(ReportCSV.render(report))]
            case "html": return ["format": "html", "content": .string(ReportHTML.render(report))]
            default: return report.json
            }
        }.runningAside()
    }
}
