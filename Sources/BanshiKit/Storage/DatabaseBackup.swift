#if canImport(Glibc)
import Glibc
#endif
import SQLite

/// `backup`: a consistent copy of the service's database while it keeps serving (SQLite's online
/// backup API, from one read snapshot), checked with `PRAGMA integrity_check` before it is named.
///
/// A backup holds everything the service holds, personal data included, so it is treated as the
/// most confidential read there is: admin keys only, audited whether it succeeds or not, written
/// readable by the service's user alone (0600), into the backups directory (0700) or a path an admin
/// names whose directory already exists. Nothing creates directories elsewhere on the host.
enum DatabaseBackup {
    static func command(database: ServiceDatabase, directory: String) -> CommandSpec {
        CommandSpec(
            "backup", "copy the database, consistently and online, to a file on this service's host",
            arguments: [
                ArgumentSpec(
                    "destination", .string, required: true,
                    "the new file: a bare name goes to the service's backups directory (\(directory)); a path is used as given")
            ]
        ) { context in
            let given = try context.arguments.text("destination")
            if let bad = given.unicodeScalars.first(where: isUnsafeInPath) {
                throw CommandError(
                    .invalidArgument,
                    "the destination holds a control or bidirectional-formatting character (U+\(String(bad.value, radix: 16, uppercase: true))); name a plain path",
                    field: "destination")
            }
            let destination: String
            if given.contains("/") {
                destination = given
                let parent = Path.parent(of: given)
                guard FileSystem.isDirectory(parent.isEmpty ? "/" : parent) else {
                    throw CommandError(
                        .invalidArgument, "the directory \(parent) does not exist; a backup creates no directories", field: "destination")
                }
            } else {
                destination = Path.join(directory, given)
                do throws(SystemError) {
                    try FileSystem.createDirectory(directory, mode: 0o700)
                } catch {
                    throw CommandError(.unavailable, "cannot create the backups directory \(directory): \(error.reason)")
                }
            }
            guard !FileSystem.exists(destination) else {
                throw CommandError(.conflict, "\(destination) exists; a backup never overwrites a file", field: "destination")
            }
            return try await onOwnThread { try copy(database, to: destination) }
        }.confidential().runningAside()
    }

    /// Characters no file name of a backup may hold: C0 and C1 controls (NUL cuts a path short), and
    /// the bidirectional formatting characters that make a path read other than it is.
    static func isUnsafeInPath(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Copies to `destination.partial`, checks the copy, then renames it: a file with the final name
    /// is always a whole, checked backup.
    static func copy(_ database: ServiceDatabase, to destination: String) throws -> JSONValue {
        let started = ContinuousClock.now
        let partial = destination + ".partial"
        let pages: Int
        let integrity: String
        let lastSeq: Int64
        do {
            (pages, (integrity, lastSeq)) = try copy(database.writer, intoNew: partial) { db in
                (try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?", try EventLog.lastSeq(db))
            }
        } catch let error as SystemError {
            throw CommandError(.invalidArgument, "\(error)", field: "destination")
        } catch {
            throw CommandError(.unavailable, "the backup to \(destination) failed: \(error)")
        }
        guard integrity == "ok" else {
            try? FileSystem.remove(partial)
            throw CommandError(.internal, "the copy failed its integrity check: \(integrity)")
        }
        guard rename(partial, destination) == 0 else {
            throw CommandError(.unavailable, "cannot name the backup \(destination): \(String(cString: strerror(errno)))")
        }
        let size = FileSystem.size(destination)
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.timeInterval
        return [
            "destination": .string(destination), "bytes": .int(size ?? 0), "pages": .int(Int64(pages)),
            "integrity": .string(integrity), "last_seq": .int(lastSeq), "seconds": .double((seconds * 1000).rounded() / 1000),
        ]
    }

    /// Copies `source` whole (SQLite's backup API, from one read snapshot) into `path`, a file made
    /// here 0600 (`FileSystem.createNew`); returns the pages copied and what `check`
    /// reads from the copy. Throws `SystemError` when the file cannot be made; on a later failure,
    /// `check`'s included, the file is removed. `backup` and `banshictl restore` both copy so.
    static func copy<T>(
        _ source: some DatabaseWriter, intoNew path: String, check: (Database) throws -> T
    ) throws -> (pages: Int, checked: T) {
        try? FileSystem.remove(path)
        guard FileSystem.createNew(path, mode: 0o600) else { throw SystemError("create", path) }
        do {
            let copy = try DatabaseQueue(path: path)
            let pages = try source.backup(to: copy)
            let checked = try copy.read(check)
            try copy.close()
            return (pages, checked)
        } catch {
            try? FileSystem.remove(path)
            throw error
        }
    }
}
