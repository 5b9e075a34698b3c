/// One connection, used by one closure at a time: for tools, tests and side connections.
public final class DatabaseQueue: DatabaseWriter {
    private let connection: SerializedDatabase
    public let path: String

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        connection = SerializedDatabase(try Database(path: path, configuration: configuration, label: configuration.label ?? "queue"))
    }

    /// A private in-memory database.
    public convenience init(configuration: Configuration = Configuration()) throws {
        try self.init(path: ":memory:", configuration: configuration)
    }

    @discardableResult
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try connection.sync { try $0.writeTransaction(updates) }
    }

    public func writeWithoutTransaction<T>(_ body: (Database) throws -> T) rethrows -> T {
        try connection.sync(body)
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.sync { try $0.readTransaction(body) }
    }

    @discardableResult
    public func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        try await connection.async { try $0.writeTransaction(updates) }
    }

    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await connection.async { try $0.readTransaction(body) }
    }

    public func writeWithoutTransaction<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await connection.async(body)
    }

    /// Closes the connection; the queue must not be used after.
    public func close() throws { connection.close() }
}
