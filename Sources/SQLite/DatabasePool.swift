import Dispatch
import Synchronization

/// A database in WAL mode with one writing connection and up to `maximumReaderCount` reading ones:
/// reads run beside the writer and each other, each on one snapshot.
public final class DatabasePool: DatabaseWriter {
    private let writer: SerializedDatabase
    private let readers: ReaderPool
    public let path: String

    /// Opens (creating if needed) the database at `path` and puts it in WAL mode.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        let label = configuration.label ?? "pool"
        let database = try Database(path: path, configuration: configuration, label: "\(label).writer")
        // Before the log exists: in WAL mode SQLite no longer changes the page size. On a file that
        // already holds a database it changes nothing.
        if let pageSize = configuration.pageSize { try database.execute(sql: "PRAGMA page_size = \(pageSize)") }
        try database.execute(sql: "PRAGMA journal_mode = WAL")
        writer = SerializedDatabase(database)
        readers = ReaderPool(maximum: configuration.maximumReaderCount) { index in
            try Database(path: path, configuration: configuration, readonly: true, label: "\(label).reader\(index)")
        }
    }

    @discardableResult
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try writer.sync { try $0.writeTransaction(updates) }
    }

    public func writeWithoutTransaction<T>(_ body: (Database) throws -> T) rethrows -> T {
        try writer.sync(body)
    }

    /// Queues `body` on the writing connection, outside any transaction, and returns at once: for a
    /// caller that goes on working while its write runs, and learns the outcome its own way.
    public func asyncWriteWithoutTransaction(_ body: @escaping @Sendable (Database) -> Void) {
        writer.enqueue(body)
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try readers.with { try $0.sync { try $0.readTransaction(body) } }
    }

    @discardableResult
    public func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        try await writer.async { try $0.writeTransaction(updates) }
    }

    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        let reader = try readers.take()
        defer { readers.give(reader) }
        return try await reader.async { try $0.readTransaction(body) }
    }

    public func writeWithoutTransaction<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await writer.async(body)
    }

    /// Closes every connection; the pool must not be used after.
    public func close() throws {
        readers.close()
        writer.close()
    }
}

/// The reading connections: opened when first needed, at most `maximum`, lent one at a time.
final class ReaderPool: Sendable {
    private struct State {
        var idle: [SerializedDatabase] = []
        var opened = 0
        var all: [SerializedDatabase] = []
    }

    private let state = Mutex(State())
    private let available: DispatchSemaphore
    private let open: @Sendable (Int) throws -> Database

    init(maximum: Int, open: @escaping @Sendable (Int) throws -> Database) {
        available = DispatchSemaphore(value: maximum)
        self.open = open
    }

    func with<T>(_ body: (SerializedDatabase) throws -> T) throws -> T {
        let reader = try take()
        defer { give(reader) }
        return try body(reader)
    }

    /// An idle reader, a new one, or (when all are lent) the next one given back.
    func take() throws -> SerializedDatabase {
        available.wait()
        let (idle, index): (SerializedDatabase?, Int) = state.withLock { state in
            if let reader = state.idle.popLast() { return (reader, 0) }
            state.opened += 1
            return (nil, state.opened)
        }
        if let idle { return idle }
        do {
            let reader = SerializedDatabase(try open(index))
            state.withLock { $0.all.append(reader) }
            return reader
        } catch {
            state.withLock { $0.opened -= 1 }
            available.signal()
            throw error
        }
    }

    func give(_ reader: SerializedDatabase) {
        state.withLock { $0.idle.append(reader) }
        available.signal()
    }

    func close() {
        for reader in state.withLock({ $0.all }) { reader.close() }
    }
}
