import CSQLite

/// A compiled SQL statement of one connection. Not shared between threads: it belongs to its
/// `Database`, which is used by one thread at a time.
public final class Statement {
    /// The handle, for callers that bind and step through SQLite's C API themselves.
    public let sqliteStatement: OpaquePointer
    public let sql: String
    /// The connection's handle, for error messages.
    let connection: OpaquePointer

    init(sql: String, handle: OpaquePointer, connection: OpaquePointer) {
        self.sql = sql
        self.sqliteStatement = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(sqliteStatement) }

    /// The number of `?` parameters.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(sqliteStatement)) }

    /// The names of the result columns.
    public lazy var columnNames: [String] = (0..<sqlite3_column_count(sqliteStatement)).map {
        String(cString: sqlite3_column_name(sqliteStatement, $0))
    }

    /// Runs the statement to its end with `arguments` bound.
    public func execute(arguments: StatementArguments = StatementArguments()) throws {
        try reset(binding: arguments)
        defer { finish() }
        while try step() {}
    }

    /// Resets the statement after a run or a fetch, so that it holds no lock and no row between uses.
    func finish() {
        sqlite3_reset(sqliteStatement)
    }

    /// Resets the statement and binds `arguments`, which must be as many as its parameters.
    func reset(binding arguments: StatementArguments) throws {
        sqlite3_reset(sqliteStatement)
        sqlite3_clear_bindings(sqliteStatement)
        guard arguments.values.count == parameterCount else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE,
                message: "wrong number of statement arguments: \(arguments.values.count) given, \(parameterCount) expected", sql: sql)
        }
        for (offset, value) in arguments.values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: DatabaseValue, at position: Int32) throws {
        let code: Int32
        switch value.storage {
        case .null: code = sqlite3_bind_null(sqliteStatement, position)
        case .int64(let number): code = sqlite3_bind_int64(sqliteStatement, position, number)
        case .double(let number): code = sqlite3_bind_double(sqliteStatement, position, number)
        case .string(let text): code = sqlite3_bind_text(sqliteStatement, position, text, -1, sqliteTransient)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { sqlite3_bind_blob(sqliteStatement, position, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Steps once: `true` with a row to read, `false` when done.
    func step() throws -> Bool {
        switch sqlite3_step(sqliteStatement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code)
        }
    }

    /// The current row.
    func row() -> Row {
        Row(columnNames: columnNames, databaseValues: (0..<Int32(columnNames.count)).map(value(at:)))
    }

    /// The current row's column `index`.
    func value(at index: Int32) -> DatabaseValue {
        switch sqlite3_column_type(sqliteStatement, index) {
        case SQLITE_INTEGER: return DatabaseValue(storage: .int64(sqlite3_column_int64(sqliteStatement, index)))
        case SQLITE_FLOAT: return DatabaseValue(storage: .double(sqlite3_column_double(sqliteStatement, index)))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(sqliteStatement, index))
            guard let text = sqlite3_column_text(sqliteStatement, index) else { return DatabaseValue(storage: .string("")) }
            return DatabaseValue(storage: .string(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(sqliteStatement, index))
            guard let blob = sqlite3_column_blob(sqliteStatement, index) else { return DatabaseValue(storage: .blob([])) }
            return DatabaseValue(storage: .blob(Array(UnsafeRawBufferPointer(start: blob, count: count))))
        default: return .null
        }
    }

    func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}

/// `SQLITE_TRANSIENT` (the C macro does not import into Swift): SQLite copies the bytes.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Rows read one at a time from a statement, for results too large to hold at once.
public final class RowCursor {
    let statement: Statement
    private var finished = false

    init(_ statement: Statement, arguments: StatementArguments) throws {
        self.statement = statement
        try statement.reset(binding: arguments)
    }

    /// The next row, or `nil` after the last (the statement is then reset for its next use).
    public func next() throws -> Row? {
        guard !finished else { return nil }
        do {
            if try statement.step() { return statement.row() }
        } catch {
            finish()
            throw error
        }
        finish()
        return nil
    }

    private func finish() {
        finished = true
        statement.finish()
    }
}
