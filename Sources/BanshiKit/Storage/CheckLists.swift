import SQLite

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
    /// Scanned by hand: a regular expression here loaded Foundation's ICU into every service, 1.7 MB of
    /// resident memory each.
    static func rewritten(_ sql: String) -> String {
        let text = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 256)
        var index = 0
        while index < text.count {
            if text[index...].starts(with: checkOpening), let (replacement, end) = comparisons(in: text, at: index + checkOpening.count) {
                out += replacement
                index = end
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let checkOpening = Array("CHECK (".utf8)
    private static let inOpening = Array(" IN (".utf8)

    /// At `start`, just after `CHECK (`: `column IN ('a', 'b', 'c'))` with more than two plain string
    /// literals becomes `CHECK (column = 'a' OR ...)`, returned with the index after its last `)`.
    private static func comparisons(in text: [UInt8], at start: Int) -> (replacement: [UInt8], end: Int)? {
        var index = start
        while index < text.count, isIdentifier(text[index], first: index == start) { index += 1 }
        guard index > start, text[index...].starts(with: inOpening) else { return nil }
        let column = text[start..<index]
        index += inOpening.count
        guard let close = text[index...].firstIndex(of: UInt8(ascii: ")")), close + 1 < text.count, text[close + 1] == UInt8(ascii: ")")
        else { return nil }
        let values = text[index..<close].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(trimmed)
        guard values.count > 2, values.allSatisfy(isPlainLiteral) else { return nil }
        var replacement = checkOpening
        for (position, value) in values.enumerated() {
            if position > 0 { replacement += " OR ".utf8 }
            replacement += column
            replacement += " = ".utf8
            replacement += value
        }
        replacement.append(UInt8(ascii: ")"))
        return (replacement, close + 2)
    }

    private static func isIdentifier(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        default: false
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while bytes.first == UInt8(ascii: " ") { bytes = bytes.dropFirst() }
        while bytes.last == UInt8(ascii: " ") { bytes = bytes.dropLast() }
        return bytes
    }

    /// A string literal with no quote, comma or parenthesis inside: `'in-review'`.
    private static func isPlainLiteral(_ value: ArraySlice<UInt8>) -> Bool {
        let quote = UInt8(ascii: "'")
        return value.count >= 2 && value.first == quote && value.last == quote
            && !value.dropFirst().dropLast().contains { [quote, UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")")].contains($0) }
    }
}
