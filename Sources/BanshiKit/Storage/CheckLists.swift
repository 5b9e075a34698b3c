import Foundation
import GRDB

/// Rewrites each `CHECK (column IN ('a', 'b', 'c', ...))` of more than two values, as the migrations
/// write them, into `CHECK (column = 'a' OR column = 'b' OR ...)`, which allows exactly the same values.
///
/// SQLite 3.40 evaluates an `IN` list of more than two constants by building a temporary B-tree of
/// them, and a CHECK constraint does so for every row it checks: 1.6 µs for each such list on each
/// insert or update, several per program command (petition's aid case has two, a child's row one...).
/// The comparisons cost nothing of the kind. Run after the migrations at every open: it changes only
/// what is still in the `IN` form, so a database is rewritten once, and a table a later migration
/// creates is rewritten at the start that creates it. New and upgraded databases end up the same.
///
/// The schema is edited in place (`PRAGMA writable_schema`), which SQLite documents as safe for
/// changing CHECK constraints that the stored rows satisfy, as these do (the same values). Each new
/// `CREATE TABLE` is first checked to parse, in a database of its own; the schema version is raised so
/// that every connection reads the schema again.
enum CheckLists {
    /// Rewrites the lists in `db`'s tables; returns the tables changed.
    @discardableResult
    static func rewrite(_ db: Database) throws -> [String] {
        var changed: [(name: String, sql: String)] = []
        for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK%IN (%'") {
            let sql: String = row["sql"]
            let rewritten = rewritten(sql)
            if rewritten != sql { changed.append((row["name"], rewritten)) }
        }
        guard !changed.isEmpty else { return [] }
        let probe = try DatabaseQueue()
        for table in changed { try probe.write { try $0.execute(sql: table.sql) } }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        defer { try? db.execute(sql: "PRAGMA writable_schema = OFF") }
        for table in changed {
            try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", arguments: [table.sql, table.name])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        return changed.map(\.name)
    }

    /// `sql` with each list of more than two plain string literals rewritten; anything else as it was.
    static func rewritten(_ sql: String) -> String {
        let text = sql as NSString
        var result = sql
        // Back to front, so that the ranges found stay valid as the text changes.
        for match in listPattern.matches(in: sql, range: NSRange(location: 0, length: text.length)).reversed() {
            let column = text.substring(with: match.range(at: 1))
            let list = text.substring(with: match.range(at: 2))
            let values = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard values.count > 2, values.allSatisfy(isPlainLiteral) else { continue }
            let comparisons = values.map { "\(column) = \($0)" }.joined(separator: " OR ")
            result = (result as NSString).replacingCharacters(in: match.range, with: "CHECK (\(comparisons))")
        }
        return result
    }

    /// `CHECK (<column> IN (<list>))`, the form the migrations use.
    private static let listPattern = try! NSRegularExpression(pattern: #"CHECK \(([A-Za-z_][A-Za-z0-9_]*) IN \(([^()]*)\)\)"#)

    /// A string literal without quotes or commas inside: `'in-review'`.
    private static func isPlainLiteral(_ value: String) -> Bool {
        value.count >= 2 && value.first == "'" && value.last == "'" && !value.dropFirst().dropLast().contains { $0 == "'" || $0 == "," }
    }
}
