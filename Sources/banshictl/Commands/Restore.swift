import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// `banshictl restore SERVICE BACKUP`: a backup put in place of a stopped service's database, its log
/// resuming after the last seq the service's followers saw (`RestoredLog`).
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place of a stopped service's database; its log resumes after the last seq its followers saw.",
        discussion: """
            Run it on the service's host (under systemd as root: the files it makes go to the owner of the \
            service's state directory), with the service stopped (systemctl stop banshi@SERVICE; under `up`: banshictl stop SERVICE) and the rest \
            of the suite running: the services that follow SERVICE say in their status how far its log had \
            gone. The events SERVICE published after the backup are lost from it; at its next start it logs \
            a SERVICE.log.lost event for each of their seqs, so that its new events get seqs no follower has \
            applied (without this, each follower would raise an integrity alarm and pass over them). The \
            database it replaces is kept beside it as SERVICE.sqlite.replaced-<time>. With --empty and no \
            backup (the database lost or damaged, no backup to hand), the service starts empty the same way. \
            Give --resume-after when a follower is down, or a downstream system saw further.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service whose database to replace.", completion: Completions.services) var service: String
    @Argument(help: "The backup file; a bare name is in <data_dir>/<service>/backups/.") var backup: String?
    @Flag(help: "No backup: start the service with an empty database (its old one damaged or lost).") var empty = false
    @Option(help: "The last seq the suite saw from the service (default: the furthest its followers report).")
    var resumeAfter: Int64?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard (backup == nil) != (empty == false) else {
            throw ValidationError(empty ? "give a backup or --empty, not both" : "give the backup file to restore, or --empty to start the service empty")
        }
    }

    func run() throws {
        let config = try global.loadConfig()
        let endpoint = try controlEndpoint(of: service, in: config)
        guard !config.buses.contains(where: { $0.name == service }) else { throw usageError("\(service) is a bus: it keeps no database") }
        if let resumeAfter, resumeAfter < 0 { throw usageError("--resume-after must be a seq, 0 or more") }
        let timeout = global.replyTimeout(config)
        // The service must be stopped: its database is about to be replaced under it.
        do {
            let client = try ControlClient(context: Context(), service: service, endpoint: endpoint, timeout: timeout, watchHandshakes: true)
            let answer = try client.call("status")
            throw CLIFailure(
                message: "\(service) is running (pid \(cell((try? answer.get())?["pid"]))): stop it first "
                    + "(systemctl stop banshi@\(service); under `up`: banshictl stop \(service))")
        } catch ControlClientError.timeout {
            // Down, as it must be.
        } catch let error as ControlClientError {
            throw CLIFailure(message: "cannot tell whether \(service) is running: \(error)")
        }
        // Under `up`, a service that failed (a damaged database) is restarted again and again: it must
        // be stopped there, so that no restart opens the file while it is replaced.
        if let state = try UpControl.state(of: service, config: config), ["running", "starting", "restarting"].contains(state) {
            throw CLIFailure(message: "`banshictl up` is \(state) \(service): stop it first (banshictl stop \(service)), so that up leaves it stopped")
        }
        let followers = try resumePoint(config, timeout: timeout)
        let path = backup.map { $0.contains("/") ? $0 : Path.join(Path.join(config.stateDirectory(of: service), "backups"), $0) }
        let database = config.databasePath(of: service)
        let restored: RestoredLog.Restored
        do {
            restored = try RestoredLog.restore(
                backup: path, database: database, service: service, resumeAfter: followers.resumeAfter, at: Timestamp())
        } catch let refusal as RestoredLog.Refusal {
            throw CLIFailure(message: "nothing was changed: \(refusal)")
        } catch {
            throw CLIFailure(message: "the restore failed: \(error)")
        }
        if json {
            var result: [String: JSONValue] = [
                "service": .string(service), "backup": path.map { .string($0) } ?? .null, "database": .string(database),
                "backup_last_seq": .int(restored.backupLastSeq), "resume_after": .int(max(followers.resumeAfter, restored.backupLastSeq)),
                "followers": .object(followers.seen.mapValues { .int($0) }),
                "lost": restored.lost.map { ["first": .int($0.lowerBound), "last": .int($0.upperBound)] } ?? .null,
                "replaced": restored.replaced.map { .string($0) } ?? .null,
            ]
            if resumeAfter != nil { result["resume_after_given"] = true }
            print(prettyJSON(.object(result)))
            return
        }
        if let path {
            print("restored \(service) from \(path): its log ends at seq \(restored.backupLastSeq)".paragraph)
        } else {
            print("\(service) starts with an empty database".paragraph)
        }
        let source =
            resumeAfter != nil
            ? "--resume-after \(followers.resumeAfter)"
            : followers.seen.isEmpty
                ? "no service follows \(service)"
                : "its followers had seen seq \(followers.resumeAfter) ("
                    + followers.seen.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        if let lost = restored.lost {
            let count = lost.count == 1 ? "seq \(lost.lowerBound) is" : "seqs \(lost.lowerBound)–\(lost.upperBound) (\(lost.count) events) are"
            print("\(source): \(count) lost from \(service); it logs \(lost.count == 1 ? "it" : "them") as lost when it starts, and its next event is seq \(lost.upperBound + 1)".paragraph)
        } else {
            print("\(source): nothing to mark lost; its next event is seq \(restored.backupLastSeq + 1)".paragraph)
        }
        if let replaced = restored.replaced { print("the database it replaced: \(replaced)".paragraph) }
        print("next: start it (systemctl start banshi@\(service); under `up`: banshictl start \(service))".paragraph)
    }

    /// How far the suite saw the service's log: `--resume-after`, or the furthest seq any follower
    /// applied or heard of (each one's, by name). A service that does not answer may follow it, so it
    /// stops the restore unless `--resume-after` is given.
    private func resumePoint(_ config: SuiteConfig, timeout: Duration) throws -> (resumeAfter: Int64, seen: [String: Int64]) {
        if let resumeAfter { return (resumeAfter, [:]) }
        let buses = Set(config.buses.map(\.name))
        let others = config.controlEndpoints.filter { $0.name != service && !buses.contains($0.name) }
        let answers = ControlClient.callEach(others, command: "status", timeout: timeout, context: try Context(), watchHandshakes: true)
        var seen: [String: Int64] = [:]
        var silent: [String] = []
        for answer in answers {
            guard case .success(let status) = answer.outcome else {
                silent.append(answer.service)
                continue
            }
            guard let entry = status["subscriptions"]?[service] else { continue }
            seen[answer.service] = max(entry["applied_seq"]?.intValue ?? 0, entry["latest_seq"]?.intValue ?? 0)
        }
        guard silent.isEmpty else {
            throw CLIFailure(
                message: "\(silent.joined(separator: ", ")) did not answer, and may have seen \(service)'s log further than the others: "
                    + "start \(silent.count == 1 ? "it" : "them"), or give --resume-after SEQ (the last seq \(service) published); nothing was changed")
        }
        return (seen.values.max() ?? 0, seen)
    }
}
