import GRDB

extension Database {
    /// The row of `table` whose `id` is `id`, or `not_found` naming the argument `field`;
    /// `what` is how a person calls the thing ("victim case", "aid case").
    public func record(_ table: String, id: String, what: String, field: String) throws -> Row {
        // Cached: every command that acts on a record looks it up here first.
        guard let row = try Row.fetchOne(self, cached: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]) else {
            throw Self.missing(what, id, field)
        }
        return row
    }

    /// That `table` has a row whose `id` is `id`, or `not_found` as `record` says it: for a command
    /// that only refers to the row. Reading the whole row into a `Row` was a twentieth of the writer's
    /// time for a victim case, which only names its child.
    public func requireRecord(_ table: String, id: String, what: String, field: String) throws {
        guard try fetchFirstRowText("SELECT 1 FROM \(table) WHERE id = ?", [.text(id)]) != nil else {
            throw Self.missing(what, id, field)
        }
    }

    private static func missing(_ what: String, _ id: String, _ field: String) -> CommandError {
        CommandError(.notFound, "no \(what) '\(id)'", field: field)
    }
}
