import BanshiKit
import SQLite

/// Finding the child a command names.
enum Lookup {
    static func child(_ db: Database, _ id: String) throws -> Row {
        try db.record("child", id: id, what: "child", field: "child_id")
    }

    /// That the child exists, for a command that only names it.
    static func requireChild(_ db: Database, _ id: String) throws {
        try db.requireRecord("child", id: id, what: "child", field: "child_id")
    }
}
