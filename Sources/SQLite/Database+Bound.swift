import CSQLite

/// A value bound by `Database.executeBound`.
public enum SQLiteBinding {
    case int(Int64)
    case real(Double)
    case text(String)
    /// UTF-8 text already in a buffer (an encoded envelope), bound without a `String` copy.
    case utf8([UInt8])
    case null

    /// `text`, or NULL for `nil`.
    public static func optional(_ text: String?) -> SQLiteBinding { text.map(SQLiteBinding.text) ?? .null }
}

extension Database {
    /// Runs a cached statement with positional values bound through SQLite's C API.
    ///
    /// For statements that run once per event (the event log's append, a subscriber's apply) or once
    /// per write command (its audit entry, its stored reply, a program's most frequent rows): values
    /// are bound straight from the enum, and text in place, without a `DatabaseValue` for each.
    public func executeBound(_ sql: String, _ values: [SQLiteBinding]) throws {
        try executeBound(cachedStatement(sql: sql), values)
    }

    /// The same with the statement in hand: looking a cached statement up hashes its whole SQL, so a
    /// caller that runs one statement for every event of a transaction looks it up once.
    public func executeBound(_ statement: Statement, _ values: [SQLiteBinding]) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        let code = Self.bind(values, from: 0, to: handle) { sqlite3_step(handle) }
        // The text bound is no longer lent: reset, and clear the pointers to it (SQLite does not read
        // them to clear them).
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else { throw failure(code, statement) }
    }

    /// The first row a cached query finds, each column as text (`nil` for NULL), or `nil` when it
    /// finds none; values bound as `executeBound` binds them. For the lookup every write command makes
    /// (its request id among the stored replies), without building a `Row`.
    public func fetchFirstRowText(_ sql: String, _ values: [SQLiteBinding]) throws -> [String?]? {
        let statement = try cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var row: [String?]?
        let code = Self.bind(values, from: 0, to: handle) {
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW {
                row = (0..<sqlite3_column_count(handle)).map { column -> String? in
                    guard let text = sqlite3_column_text(handle, column) else { return nil }
                    return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
                }
            }
            return code
        }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_ROW || code == SQLITE_DONE else { throw failure(code, statement) }
        return row
    }

    private func failure(_ code: Int32, _ statement: Statement) -> DatabaseError {
        failure(code, sql: statement.sql)
    }

    /// Binds `values[index...]`, then runs `step` while their bytes are still lent: text is bound as
    /// `SQLITE_STATIC`, read by SQLite in place rather than copied. Returns the first failing bind's
    /// code, or `step`'s.
    private static func bind(
        _ values: [SQLiteBinding], from index: Int, to handle: OpaquePointer, then step: () -> Int32
    ) -> Int32 {
        guard index < values.count else { return step() }
        let position = Int32(index + 1)
        func text(_ buffer: UnsafeBufferPointer<UInt8>) -> Int32 {
            // An empty buffer may have no address; SQLite takes that for NULL, so bind "" instead.
            let base = buffer.isEmpty ? nil : buffer.baseAddress
            let code = base.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text(handle, position, $0, Int32(buffer.count), sqliteStatic)
                }
            } ?? sqlite3_bind_text(handle, position, emptyText, 0, sqliteStatic)
            guard code == SQLITE_OK else { return code }
            return bind(values, from: index + 1, to: handle, then: step)
        }
        switch values[index] {
        case .int(let number): sqlite3_bind_int64(handle, position, number)
        case .real(let number): sqlite3_bind_double(handle, position, number)
        case .null: sqlite3_bind_null(handle, position)
        case .text(var string): return string.withUTF8(text)
        case .utf8(let bytes): return bytes.withUnsafeBufferPointer(text)
        }
        return bind(values, from: index + 1, to: handle, then: step)
    }

    /// `SQLITE_STATIC` (the C macro does not import into Swift): the bytes stay the caller's.
    private static let sqliteStatic: sqlite3_destructor_type? = nil

    /// The empty C string, at an address that lives as long as the process. Never written.
    nonisolated(unsafe) private static let emptyText: UnsafeMutablePointer<CChar> = {
        let text = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        text.initialize(to: 0)
        return text
    }()
}
