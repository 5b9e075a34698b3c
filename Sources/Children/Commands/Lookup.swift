import BanshiKit
import GRDB

/// Finding a record a command names, or a `not_found` error naming the argument.
enum Lookup {
    /// The row of `table` whose id is `id`; `what` is how a person calls it ("child", "victim case").
    static func row(_ db: Database, _ table: String, id: String, what: String, field: String) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]) else {
            throw CommandError(.notFound, "no \(what) '\(id)'", field: field)
        }
        return row
    }

    static func child(_ db: Database, _ id: String) throws -> Row {
        try row(db, "child", id: id, what: "child", field: "child_id")
    }
}

extension Arguments {
    /// A string argument that is present and not blank.
    func text(_ name: String) throws(CommandError) -> String {
        let value = try string(name).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw CommandError(.invalidArgument, "argument '\(name)' must not be blank", field: name) }
        return value
    }
}
