import CSQLite

/// An SQLite result code. `DatabaseError.resultCode` is the primary code (`SQLITE_CONSTRAINT`),
/// `extendedResultCode` the extended one (`SQLITE_CONSTRAINT_UNIQUE`).
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code of an extended one.
    public var primaryResultCode: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }

    public var description: String { String(cString: sqlite3_errstr(rawValue)) }

    public static let SQLITE_OK = ResultCode(rawValue: CSQLite.SQLITE_OK)
    public static let SQLITE_PERM = ResultCode(rawValue: CSQLite.SQLITE_PERM)
    public static let SQLITE_BUSY = ResultCode(rawValue: CSQLite.SQLITE_BUSY)
    public static let SQLITE_READONLY = ResultCode(rawValue: CSQLite.SQLITE_READONLY)
    public static let SQLITE_FULL = ResultCode(rawValue: CSQLite.SQLITE_FULL)
    public static let SQLITE_CANTOPEN = ResultCode(rawValue: CSQLite.SQLITE_CANTOPEN)
    public static let SQLITE_CORRUPT = ResultCode(rawValue: CSQLite.SQLITE_CORRUPT)
    public static let SQLITE_NOTADB = ResultCode(rawValue: CSQLite.SQLITE_NOTADB)
    public static let SQLITE_CONSTRAINT = ResultCode(rawValue: CSQLite.SQLITE_CONSTRAINT)
    public static let SQLITE_MISUSE = ResultCode(rawValue: CSQLite.SQLITE_MISUSE)
    public static let SQLITE_RANGE = ResultCode(rawValue: CSQLite.SQLITE_RANGE)
}

/// An error SQLite reported, with the statement that met it.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The extended result code SQLite returned.
    public let extendedResultCode: ResultCode
    /// SQLite's message (`sqlite3_errmsg`).
    public let message: String?
    /// The statement it ran, when there was one.
    public let sql: String?

    public init(resultCode: ResultCode, message: String? = nil, sql: String? = nil) {
        self.extendedResultCode = resultCode
        self.message = message
        self.sql = sql
    }

    /// The primary result code, which callers compare (`.SQLITE_BUSY`, `.SQLITE_CONSTRAINT`).
    public var resultCode: ResultCode { extendedResultCode.primaryResultCode }

    /// `SQLite error 19: UNIQUE constraint failed: t.id - while executing `INSERT …``.
    public var description: String {
        var text = "SQLite error \(resultCode.rawValue)"
        if let message { text += ": \(message)" }
        if let sql { text += " - while executing `\(sql.trimmingSQLSpace)`" }
        return text
    }
}

extension String {
    /// The statement without the spaces and newlines around it.
    var trimmingSQLSpace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}

extension ResultCode {
    public static let SQLITE_MISMATCH = ResultCode(rawValue: CSQLite.SQLITE_MISMATCH)
}
