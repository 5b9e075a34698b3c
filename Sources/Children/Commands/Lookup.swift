import BanshiKit
import GRDB

/// Finding the child a command names.
enum Lookup {
    static func child(_ db: Database, _ id: String) throws -> Row {
        try db.record("child", id: id, what: "child", field: "child_id")
    }
}
