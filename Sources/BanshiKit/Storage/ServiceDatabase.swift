import SQLite

#if canImport(Glibc)
import Glibc
#endif

/// A service's one SQLite database: WAL, the kit's tables plus the service's own.
///
/// The writer commits with `synchronous=NORMAL`, and `gate` syncs the log on its own thread: what
/// acknowledges a commit (a reply, an event on the bus) is released through the gate, after the sync,
/// so that a crash of the process or the machine after it loses nothing, while the writer goes on to
/// the next group of commands instead of waiting for the disk.
public final class ServiceDatabase: Sendable {
    /// The single writer (and pool of readers) of the file.
    public let writer: DatabasePool
    public let path: String
    /// Copies the log back into the file off the commit path (tests read its rounds and limits).
    let checkpointer: WALCheckpointer
    /// Where replies and events wait until the commits they acknowledge are on disk.
    let gate: DurabilityGate

    /// The page cache of each connection, in pages.
    static let cachePages = 2048

    /// Whether this open made the file.
    public let created: Bool
    /// The migrations this open applied, in order: every one for a new file, the new ones after an
    /// upgrade, none otherwise.
    public let migrated: [String]

    /// Opens (creating if needed) `path` and migrates it. `migrations` registers the service's own.
    /// `pageSize`: the page size a new file is made with (nil: SQLite's 4 KiB); a file that exists
    /// keeps its own, and the checkpointer counts the log in it. `willMigrate` is told the migrations
    /// a file that existed is about to have, before they run (one may copy a table: an operator sees
    /// why the start takes a while).
    public init(
        path: String, pageSize: Int? = nil, migrations: @Sendable (inout DatabaseMigrator) -> Void = { _ in },
        willMigrate: ([String]) -> Void = { _ in }
    ) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.pageSize = pageSize
        configuration.prepareDatabase { db in
            // The log is synced by the gate, not inside each commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 2,048 pages of cache (8 MiB of 4 KiB pages, 32 MiB of reporting's 16 KiB) rather than
            // SQLite's 2 MiB: a group commit of 10,000 events dirties about 4 MiB of pages, which a
            // smaller cache spills to the log before the commit. Not more: SQLite walks every page
            // the cache holds at the end of each transaction in which a B-tree page split renumbered
            // pages (most inserts on a random key), so each cached page costs every such commit.
            try db.execute(sql: "PRAGMA cache_size = \(Self.cachePages)")
        }
        let directory = Path.parent(of: path)
        if !directory.isEmpty {
            // The state directory holds personal data: its owner's alone, whatever the umask.
            try FileSystem.createDirectory(directory, mode: 0o700)
        }
        let created = FileSystem.createNew(path, mode: 0o600)
        self.created = created
        writer = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        let migrator = Self.migrator(migrations)
        migrated = try migrator.migrate(writer) { pending in if !created { willMigrate(pending) } }
        // CHECK lists as comparisons: SQLite builds a temporary B-tree for each IN list it checks.
        try writer.write { db in try CheckLists.rewrite(db) }
        // From here on the log is copied back by a thread of its own rather than inside a commit.
        let checkpointer = try WALCheckpointer(path: path)
        self.checkpointer = checkpointer
        let gate = try DurabilityGate(databasePath: path)
        self.gate = gate
        writer.writeWithoutTransaction { db in checkpointer.attach(to: db, onCommit: gate.noteCommit) }
    }

    deinit {
        gate.stop()
        checkpointer.stop()
    }

    /// The kit's migrations (event log, replies, cursors, audit log, timelines) followed by the
    /// service's: what a test runs part of to make a database as an older release left it.
    public static func migrator(_ migrations: (inout DatabaseMigrator) -> Void) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        EventLog.registerMigrations(&migrator)
        CommandReplyStore.registerMigrations(&migrator)
        SubscriberCursor.registerMigrations(&migrator)
        AuditLog.registerMigrations(&migrator)
        EventTimeline.registerMigrations(&migrator)
        migrations(&migrator)
        return migrator
    }

    /// What each of the service's migrations does to the schema, one by one: a `-- <name>` line, then the
    /// SQL SQLite keeps for every table, index and trigger it created or changed (`DROP <name>` for
    /// what it removed). A test holds this text as a snapshot, so that a shipped migration that
    /// changes, even through a value it interpolates, fails the build instead of silently giving new
    /// databases another schema than upgraded ones.
    public static func schemaSnapshot(_ migrations: (inout DatabaseMigrator) -> Void) throws -> String {
        let migrator = migrator(migrations)
        // The kit's own migrations run first but are the kit's to snapshot, not each service's.
        let kit = Set(Self.migrator { _ in }.migrations)
        let queue = try DatabaseQueue()
        var previous: [String: String] = [:]
        var text = ""
        for name in migrator.migrations {
            try migrator.migrate(queue, upTo: name)
            let current = try queue.read { db in
                Dictionary(
                    try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").map { ($0[0] as String, $0[1] as String) },
                    uniquingKeysWith: { first, _ in first })
            }
            defer { previous = current }
            guard !kit.contains(name) else { continue }
            text += "-- \(name)\n"
            for key in current.keys.sorted() where previous[key] != current[key] { text += current[key]! + ";\n" }
            for key in previous.keys.sorted() where current[key] == nil { text += "DROP \(key);\n" }
        }
        return text
    }

    /// Closes the file; called once the service has stopped serving.
    public func close() throws {
        defer { checkpointer.stop() }
        gate.stop()
        try writer.close()
    }
}
