/// How a `DatabaseQueue` or `DatabasePool` opens its connections.
public struct Configuration: Sendable {
    /// What a statement does when another connection holds the lock it needs.
    public enum BusyMode: Sendable {
        /// Fails with `SQLITE_BUSY` at once.
        case immediateError
        /// Retries for up to this many seconds, then fails with `SQLITE_BUSY`.
        case timeout(Double)
    }

    public var busyMode: BusyMode = .immediateError
    /// Names the connections in messages and in their queues' labels.
    public var label: String?
    /// `PRAGMA foreign_keys = ON` on every connection: the schema's `REFERENCES` are enforced.
    public var foreignKeysEnabled = true
    /// The most reader connections a pool opens.
    public var maximumReaderCount = 5
    /// A commit's writes to the write-ahead log gathered into one system call (SQLiteWALBuffer); false
    /// opens the connections with SQLite's default VFS as it is (the bench's raw ceiling).
    public var gathersLogWrites = true
    /// The page size, in bytes, a pool creates a new database file with (a power of two from 512 to
    /// 65,536); nil keeps SQLite's default of 4,096. An existing file keeps the size it was made with.
    public var pageSize: Int?
    var preparations: [@Sendable (Database) throws -> Void] = []

    public init() {}

    /// Runs `body` on every connection as it opens (pragmas).
    public mutating func prepareDatabase(_ body: @escaping @Sendable (Database) throws -> Void) {
        preparations.append(body)
    }
}
