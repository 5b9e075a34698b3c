import CSQLite
import SQLiteWALBuffer

/// One connection to an SQLite database.
///
/// A connection is used by one thread at a time: `DatabaseQueue` and `DatabasePool` hand it to one
/// closure at a time, on their own serial queues.
public final class Database {
    /// The handle, for callers that use SQLite's C API directly.
    public let sqliteConnection: OpaquePointer
    /// What the connection is for, in messages ("writer", "reader", "checkpointer").
    public let label: String
    private var statementCache: [String: Statement] = [:]
    private var walHook: WALHook?
    private var isClosed = false

    /// Done once, before the first connection opens (which initialises SQLite).
    private static let configured: Void = { _ = banshi_sqlite3_disable_memory_statistics() }()
    /// The VFS every connection opens with: the default one, but with a commit's writes to the
    /// write-ahead log gathered into one system call (SQLiteWALBuffer). Nil, the default itself,
    /// should it fail to register.
    private static let vfs: String? = banshi_wal_buffer_register() == SQLITE_OK ? BANSHI_WAL_BUFFER_VFS : nil

    /// The writes (system calls) this connection has made to its write-ahead log, nil when it has
    /// none open (tests and the bench).
    public var writeAheadLogWrites: Int? {
        let writes = banshi_wal_buffer_log_writes(UnsafeMutableRawPointer(sqliteConnection))
        return writes < 0 ? nil : Int(writes)
    }

    init(path: String, configuration: Configuration, readonly: Bool = false, label: String) throws {
        Self.configured
        var handle: OpaquePointer?
        let flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, configuration.gathersLogWrites ? Self.vfs : nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "\(message) (\(path))")
        }
        sqliteConnection = handle
        self.label = label
        sqlite3_extended_result_codes(handle, 1)
        if case .timeout(let seconds) = configuration.busyMode {
            sqlite3_busy_timeout(handle, Int32(seconds * 1000))
        }
        do {
            if configuration.foreignKeysEnabled { try execute(sql: "PRAGMA foreign_keys = ON") }
            for prepare in configuration.preparations { try prepare(self) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Finalizes the cached statements and closes the connection. Later calls do nothing.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        statementCache.removeAll()
        // close_v2: a statement still held elsewhere (a cursor) keeps the connection until it goes.
        sqlite3_close_v2(sqliteConnection)
    }

    /// Runs `sql`, which may hold several statements separated by semicolons; `arguments` are
    /// consumed by them in order.
    public func execute(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        var remaining = arguments.values[...]
        try sql.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var handle: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(sqliteConnection, current, -1, &handle, &tail)
                guard code == SQLITE_OK else { throw failure(code, sql: sql) }
                next = tail
                // Only whitespace or a comment was left.
                guard let handle else { break }
                let text = String(cString: sqlite3_sql(handle))
                let statement = Statement(sql: text, handle: handle, connection: sqliteConnection)
                let count = min(statement.parameterCount, remaining.count)
                try statement.execute(arguments: StatementArguments(remaining.prefix(count)))
                remaining = remaining.dropFirst(count)
            }
        }
        guard remaining.isEmpty else {
            throw DatabaseError(resultCode: .SQLITE_RANGE, message: "wrong number of statement arguments: \(remaining.count) left over", sql: sql)
        }
    }

    /// Runs `sql` (one statement) through the statement cache.
    public func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// Compiles one statement.
    public func makeStatement(sql: String) throws -> Statement {
        try prepare(sql, flags: 0)
    }

    /// The statement compiled once for this connection and kept: for statements run again and again
    /// whose text is fixed, or drawn from a few names (every distinct text stays in the cache).
    public func cachedStatement(sql: String) throws -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        statementCache[sql] = statement
        return statement
    }

    private func prepare(_ sql: String, flags: UInt32) throws -> Statement {
        var handle: OpaquePointer?
        let code = sql.withCString { sqlite3_prepare_v3(sqliteConnection, $0, -1, flags, &handle, nil) }
        guard code == SQLITE_OK else { throw failure(code, sql: sql) }
        guard let handle else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "no statement in the text", sql: sql)
        }
        return Statement(sql: sql, handle: handle, connection: sqliteConnection)
    }

    /// Rows changed by the last insert, update or delete.
    public var changesCount: Int { Int(sqlite3_changes64(sqliteConnection)) }

    /// Whether a transaction is open.
    public var isInsideTransaction: Bool { sqlite3_get_autocommit(sqliteConnection) == 0 }

    /// Runs `body` in a transaction that commits when it returns `.commit` and rolls back when it
    /// returns `.rollback` or throws.
    public func inTransaction(_ kind: TransactionKind = .deferred, _ body: () throws -> TransactionCompletion) throws {
        try execute(cached: kind.begin)
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            if isInsideTransaction { try? execute(cached: "ROLLBACK") }
            throw error
        }
        switch completion {
        case .commit:
            do {
                try execute(cached: "COMMIT")
            } catch {
                if isInsideTransaction { try? execute(cached: "ROLLBACK") }
                throw error
            }
        case .rollback:
            if isInsideTransaction { try execute(cached: "ROLLBACK") }
        }
    }

    /// Copies the write-ahead log into the database file.
    public func checkpoint(_ mode: CheckpointMode) throws {
        let code = sqlite3_wal_checkpoint_v2(sqliteConnection, nil, mode.rawValue, nil, nil)
        guard code == SQLITE_OK else { throw failure(code, sql: nil) }
    }

    /// The columns of `table`, in order.
    public func columns(in table: String) throws -> [ColumnInfo] {
        try String.fetchAll(self, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map(ColumnInfo.init(name:))
    }

    /// Whether the schema has a table named `name`.
    public func tableExists(_ name: String) throws -> Bool {
        try Bool.fetchOne(self, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)", arguments: [name]) ?? false
    }

    /// Calls `body` on this connection after each commit with the number of frames in the log;
    /// when it answers `true`, the connection checkpoints at once, inside the committing call.
    /// Replaces SQLite's automatic checkpoint.
    public func onWALCommit(_ body: @escaping (Int32) -> Bool) {
        let hook = WALHook(body)
        walHook = hook
        sqlite3_wal_hook(sqliteConnection, walHookCallback, Unmanaged.passUnretained(hook).toOpaque())
    }

    func failure(_ code: Int32, sql: String?) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: sql)
    }
}

/// How a transaction takes its locks.
public enum TransactionKind: Sendable {
    /// Locks at the first read or write.
    case deferred
    /// Takes the write lock at once, so that the transaction cannot fail to upgrade later.
    case immediate

    var begin: String {
        switch self {
        case .deferred: "BEGIN DEFERRED TRANSACTION"
        case .immediate: "BEGIN IMMEDIATE TRANSACTION"
        }
    }
}

/// How a transaction's body ends.
public enum TransactionCompletion: Sendable {
    case commit
    case rollback
}

/// `sqlite3_wal_checkpoint_v2`'s modes that Banshi uses.
public enum CheckpointMode: Int32, Sendable {
    /// Copies what it can without waiting for readers or the writer.
    case passive = 0
}

/// A column as `PRAGMA table_info` describes it (its name: what the migrations' tests check).
public struct ColumnInfo: Sendable {
    public let name: String
}

/// The closure behind a connection's WAL hook, kept alive by the connection.
final class WALHook {
    let body: (Int32) -> Bool
    init(_ body: @escaping (Int32) -> Bool) { self.body = body }
}

private func walHookCallback(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ frames: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    if Unmanaged<WALHook>.fromOpaque(context).takeUnretainedValue().body(frames) {
        sqlite3_wal_checkpoint(connection, name)
    }
    return SQLITE_OK
}
