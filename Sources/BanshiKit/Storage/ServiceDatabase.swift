import Foundation
import GRDB

/// A service's one SQLite database: WAL, `synchronous=FULL`, the kit's tables plus the service's own.
///
/// `synchronous=FULL` makes a commit durable before `write` returns, which is what lets a reply
/// acknowledge a command: a crash of the process or the machine after the reply loses nothing.
public final class ServiceDatabase: Sendable {
    /// The single writer (and pool of readers) of the file.
    public let writer: DatabasePool
    public let path: String
    private let checkpointer: WALCheckpointer

    /// Opens (creating if needed) `path` and migrates it. `migrations` registers the service's own.
    public init(path: String, migrations: @Sendable (inout DatabaseMigrator) -> Void = { _ in }) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 32 MiB of page cache rather than SQLite's 2 MiB: a group commit of 10,000 events dirties
            // about 4 MiB of pages, which a smaller cache spills to the log before the commit.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        writer = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        var migrator = DatabaseMigrator()
        EventLog.registerMigrations(&migrator)
        CommandReplyStore.registerMigrations(&migrator)
        SubscriberCursor.registerMigrations(&migrator)
        AuditLog.registerMigrations(&migrator)
        migrations(&migrator)
        try migrator.migrate(writer)
        // From here on the log is copied back by a thread of its own rather than inside a commit.
        let checkpointer = try WALCheckpointer(path: path)
        self.checkpointer = checkpointer
        writer.writeWithoutTransaction { db in checkpointer.attach(to: db) }
    }

    deinit { checkpointer.stop() }

    /// Closes the file; called once the service has stopped serving.
    public func close() throws {
        defer { checkpointer.stop() }
        try writer.close()
    }
}
