import BanshiKit
import SQLite

/// What the lawyer commands share: finding what a command names, and the days it gives.
enum Support {
    /// The id in argument `field` of a row of `table`, or `not_found` naming the field.
    static func existing(_ db: Database, _ table: String, _ arguments: Arguments, field: String, what: String) throws -> String {
        let id = try arguments.string(field)
        guard try Bool.fetchOne(db, cached: "SELECT 1 FROM \(table) WHERE id = ?", arguments: [id]) == true else {
            throw CommandError(.notFound, "no \(what) '\(id)'", field: field)
        }
        return id
    }

    /// A deadline argument: today or later, and within ten years.
    static func futureDay(_ context: CommandContext, _ name: String) throws(CommandError) -> CalendarDate {
        let today = CalendarDate(context.now)
        let day = try context.arguments.date(name)
        guard day >= today, day <= today.adding(years: 10) else {
            throw CommandError(.invalidArgument, "\(name) \(day) must be from today (\(today)) to ten years on", field: name)
        }
        return day
    }
}
