import SQLite

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

    /// `columns` of the row of `table` whose `id` is `id`, as text read through SQLite's C API, or
    /// `not_found` as `record` says it: for the frequent commands that read a few columns. A whole
    /// record as a `Row` was a sixteenth to a twentieth of the writer's time for a sample, a victim
    /// case or an aid decision.
    public func recordText(_ table: String, id: String, columns: String, what: String, field: String) throws -> [String?] {
        guard let row = try fetchFirstRowText("SELECT \(columns) FROM \(table) WHERE id = ?", [.text(id)]) else {
            throw Self.missing(what, id, field)
        }
        return row
    }

    /// That `table` has a row whose `id` is `id`, or `not_found` as `record` says it: for a command
    /// that only refers to the row.
    public func requireRecord(_ table: String, id: String, what: String, field: String) throws {
        _ = try recordText(table, id: id, columns: "1", what: what, field: field)
    }

    private static func missing(_ what: String, _ id: String, _ field: String) -> CommandError {
        CommandError(.notFound, "no \(what) '\(id)'", field: field)
    }
}
