import GRDB

extension Database {
    /// The row of `table` whose `id` is `id`, or `not_found` naming the argument `field`;
    /// `what` is how a person calls the thing ("victim case", "aid case").
    public func record(_ table: String, id: String, what: String, field: String) throws -> Row {
        // Cached: every command that acts on a record looks it up here first.
        guard let row = try Row.fetchOne(self, cached: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]) else {
            throw CommandError(.notFound, "no \(what) '\(id)'", field: field)
        }
        return row
    }
}
