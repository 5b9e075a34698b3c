import GRDB
import GRDBSQLite

/// A value bound by `Database.executeBound`.
public enum SQLiteBinding {
    case int(Int64)
    case text(String)
    /// UTF-8 text already in a buffer (an encoded envelope), bound without a `String` copy.
    case utf8([UInt8])
    case null
}

extension Database {
    /// Runs a cached statement with positional values bound through SQLite's C API.
    ///
    /// For statements that run once per event (the event log's append, a subscriber's apply): GRDB's
    /// argument boxing was a fifth of the append path. Everything else goes through GRDB as usual.
    public func executeBound(_ sql: String, _ values: [SQLiteBinding]) throws {
        let statement = try cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .int(let number): sqlite3_bind_int64(handle, index, number)
            case .null: sqlite3_bind_null(handle, index)
            case .text(var text):
                text.withUTF8 { Self.bindText(handle, index, $0) }
            case .utf8(let bytes):
                bytes.withUnsafeBufferPointer { Self.bindText(handle, index, $0) }
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: sql)
        }
    }

    /// SQLite copies the bound bytes (the C macro `SQLITE_TRANSIENT` does not import into Swift).
    private static let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bindText(_ handle: OpaquePointer, _ index: Int32, _ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            sqlite3_bind_text(handle, index, "", 0, sqliteTransient)  // empty, not NULL
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            _ = sqlite3_bind_text(handle, index, $0, Int32(buffer.count), sqliteTransient)
        }
    }
}
