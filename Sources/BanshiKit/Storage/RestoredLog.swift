#if canImport(Glibc)
import Glibc
#endif
import SQLite

/// A service's database put back from a backup, and the seqs its log had given out since.
///
/// A backup's log ends where the backup was taken, but the service went on publishing, and its
/// followers (the coordinator, reporting, downstream systems) applied what it published. Started on the
/// backup as it is, the service would number its next events with seqs they have applied already:
/// each follower would take the first for a forgery (an integrity alarm) and pass over the others
/// unapplied, so that a referral made after the restore would open no aid. So `banshictl restore` puts
/// the backup in place with a marker beside it, `<database>.resume-after`, holding the last seq the
/// followers had seen; at its next start the service logs a `<service>.log.lost` event for each seq
/// from its log's end through that one, and numbers its next event after them. Those events are not
/// published: the followers that are running have those seqs already, and one that lags fetches them
/// from the log as it fetches any range.
public enum RestoredLog {
    /// The marker beside `database` that says after which seq the restored log resumes.
    public static func markerPath(of database: String) -> String { database + ".resume-after" }

    /// The type of the events that stand for the seqs a restore lost.
    public static func lostType(of service: String) -> String { "\(service).log.lost" }

    /// What a restore did.
    public struct Restored: Sendable {
        /// The last seq of the backup's log (0 for a service started empty).
        public let backupLastSeq: Int64
        /// The seqs the service will log as lost when it starts (none when the followers had seen no
        /// further than the backup).
        public let lost: ClosedRange<Int64>?
        /// Where the database it replaced was moved, with its write-ahead log (none when there was none).
        public let replaced: String?
    }

    /// Why a restore was refused; nothing was changed.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Puts `backup` in place of `database`, whose service must be stopped: copied with SQLite's backup
    /// API to `<database>.restoring` (0600, given to the owner of the database's directory), checked (`integrity_check`, and an event log of `service`'s
    /// own), then renamed into place. Without a backup, the service starts with an empty database. The
    /// database it replaces is kept, with its write-ahead log, as `<database>.replaced-<time>`. When
    /// `resumeAfter` is past the backup's last seq, the marker is written before the copy takes the
    /// database's name, so that no start can see the one without the other.
    public static func restore(backup: String?, database: String, service: String, resumeAfter: Int64, at now: Timestamp) throws -> Restored {
        let restoring = database + ".restoring"
        // The files it makes belong to whoever owns the service's directory: an operator runs this as
        // root, and the service (under systemd, its own user) must be able to open them.
        let directory = Path.parent(of: database)
        let owner = geteuid() == 0 ? FileSystem.owner(of: directory.isEmpty ? "." : directory) : nil
        var lastSeq: Int64 = 0
        if let backup {
            guard FileSystem.exists(backup) else { throw Refusal(description: "\(backup) does not exist") }
            lastSeq = try copy(backup, to: restoring, service: service)
            do {
                if let owner { try FileSystem.setOwner(restoring, to: owner) }
            } catch {
                try? FileSystem.remove(restoring)
                throw error
            }
        }
        let lost = resumeAfter > lastSeq ? (lastSeq + 1)...resumeAfter : nil
        let marker = markerPath(of: database)
        if let lost {
            try AtomicFile.write("\(lost.upperBound)\n", to: marker, mode: 0o600)
            if let owner { try FileSystem.setOwner(marker, to: owner) }
        } else {
            try? FileSystem.remove(marker)
        }
        var replaced: String?
        if FileSystem.exists(database) {
            let aside = "\(database).replaced-\(Timestamp.format(now).filter { $0.isNumber || $0 == "T" || $0 == "Z" })"
            for suffix in ["", "-wal"] where FileSystem.exists(database + suffix) {
                guard rename(database + suffix, aside + suffix) == 0 else { throw SystemError("move \(database + suffix) to", aside + suffix) }
            }
            replaced = aside
        }
        try? FileSystem.remove(database + "-shm")
        if backup != nil, rename(restoring, database) != 0 { throw SystemError("rename \(restoring) to", database) }
        return Restored(backupLastSeq: lastSeq, lost: lost, replaced: replaced)
    }

    /// Copies `backup` into the new file `destination` (0600, as a backup is made) and checks the
    /// copy; returns its log's last seq. On a failure the copy is gone.
    private static func copy(_ backup: String, to destination: String, service: String) throws -> Int64 {
        let source: DatabaseQueue
        do {
            source = try DatabaseQueue(path: backup)
        } catch {
            throw Refusal(description: "\(backup) is not a usable SQLite database: \(error)")
        }
        defer { try? source.close() }
        do {
            return try DatabaseBackup.copy(source, intoNew: destination, check: check(backup: backup, service: service)).checked
        } catch let error as Refusal {
            throw error
        } catch let error as SystemError {
            throw error
        } catch {
            throw Refusal(description: "\(backup) could not be read as a SQLite database: \(error)")
        }
    }

    /// What a copy of `backup` must be to take `service`'s place; gives its log's last seq.
    private static func check(backup: String, service: String) -> (Database) throws -> Int64 {
        { db in
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?"
            guard integrity == "ok" else { throw Refusal(description: "\(backup) failed its integrity check: \(integrity)") }
            guard try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'event_log'") == 1 else {
                throw Refusal(description: "\(backup) is not a Banshi service's database: it has no event log")
            }
            let logged = try String.fetchOne(db, sql: "SELECT json_extract(envelope, '$.source') FROM event_log ORDER BY seq LIMIT 1")
            if let logged, logged != EventEnvelope.source(of: service) {
                throw Refusal(description: "\(backup) is the database of \(logged), not of \(service)")
            }
            return try EventLog.lastSeq(db)
        }
    }

    /// At start: when the marker is there, logs a lost event for each seq after the log's end through
    /// the marker's, in one transaction, then removes the marker. Returns the seqs marked lost.
    static func resume(_ database: ServiceDatabase, service: String, at now: Timestamp) throws -> ClosedRange<Int64>? {
        let marker = markerPath(of: database.path)
        guard FileSystem.exists(marker) else { return nil }
        let text = (try FileSystem.readText(marker) ?? "").trimmingWhitespace
        guard let resumeAfter = Int64(text), resumeAfter >= 0 else {
            throw ConfigError(
                key: nil, "holds '\(text.prefix(40))', not a seq: write the last seq the suite saw from \(service), or remove it (docs/operations.md, Backup and restore)",
                file: marker)
        }
        let lost = try database.writer.write { db -> ClosedRange<Int64>? in
            let end = try EventLog.lastSeq(db)
            guard resumeAfter > end else { return nil }
            let correlation = EventID.next()
            var seq = end
            // In pieces, so that the frames an appender keeps for the relay (unused here) stay small.
            while seq < resumeAfter {
                var events = try EventAppender(
                    db: db, service: service, now: now, causationid: nil, correlationid: correlation, logEnd: seq)
                for _ in 0..<min(10_000, resumeAfter - seq) {
                    try events.emit(lostType(of: service), data: ["first_lost": .int(end + 1), "last_lost": .int(resumeAfter)])
                }
                seq = events.logEnd
            }
            return (end + 1)...resumeAfter
        }
        try FileSystem.remove(marker)
        return lost
    }
}
