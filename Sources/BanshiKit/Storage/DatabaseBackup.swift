import Foundation
import GRDB

/// `backup`: a consistent copy of the service's database while it keeps serving (SQLite's online
/// backup API, from one read snapshot), checked with `PRAGMA integrity_check` before it is named.
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
            let destination = given.contains("/") ? given : (directory as NSString).appendingPathComponent(given)
            guard !FileManager.default.fileExists(atPath: destination) else {
                throw CommandError(.conflict, "\(destination) exists; a backup never overwrites a file", field: "destination")
            }
            return try await onOwnThread { try copy(database, to: destination) }
        }
    }

    /// Copies to `destination.partial`, checks the copy, then renames it: a file with the final name
    /// is always a whole, checked backup.
    static func copy(_ database: ServiceDatabase, to destination: String) throws -> JSONValue {
        let started = ContinuousClock.now
        let partial = destination + ".partial"
        do {
            try FileManager.default.createDirectory(
                atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw CommandError(.invalidArgument, "cannot create the directory of \(destination): \(error.localizedDescription)", field: "destination")
        }
        try? FileManager.default.removeItem(atPath: partial)
        var pages: Int32 = 0
        let integrity: String
        let lastSeq: Int64
        do {
            let copy = try DatabaseQueue(path: partial)
            try database.writer.backup(to: copy) { progress in pages = Int32(progress.totalPageCount) }
            (integrity, lastSeq) = try copy.read { db in
                (try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?", try EventLog.lastSeq(db))
            }
            try copy.close()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw CommandError(.unavailable, "the backup to \(destination) failed: \(error)")
        }
        guard integrity == "ok" else {
            try? FileManager.default.removeItem(atPath: partial)
            throw CommandError(.internal, "the copy failed its integrity check: \(integrity)")
        }
        guard rename(partial, destination) == 0 else {
            throw CommandError(.unavailable, "cannot name the backup \(destination): \(String(cString: strerror(errno)))")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination))?[.size] as? NSNumber
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.timeInterval
        return [
            "destination": .string(destination), "bytes": .int(size?.int64Value ?? 0), "pages": .int(Int64(pages)),
            "integrity": .string(integrity), "last_seq": .int(lastSeq), "seconds": .double((seconds * 1000).rounded() / 1000),
        ]
    }
}
