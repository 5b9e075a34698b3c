import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl backup SERVICE DEST`: a consistent online copy of a running service's database.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a running service's database, consistently and online (SQLite's backup API).",
        discussion: """
            DEST is a file on the service's host: a bare name goes to <data_dir>/<service>/backups/, a path is \
            used as given (under systemd it must be writable by the service: its state directory is). The copy \
            is checked with PRAGMA integrity_check before it gets its name; an existing file is never \
            overwritten. Restoring is in docs/operations.md.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service whose database to copy.", completion: Completions.services) var service: String
    @Argument(help: "The backup file to create.") var destination: String
    @Flag(help: "Print the service's result as JSON.") var json = false

    func run() throws {
        // A large database takes longer than a command usually may: allow ten minutes unless told.
        var options = global
        if options.timeout == nil { options.timeout = 600_000 }
        let result = try ServiceCall(global: options, service: service).result("backup", ["destination": .string(destination)])
        if json {
            print(prettyJSON(result))
        } else {
            print("\(service): \(cell(result["destination"])) (\(cell(result["bytes"])) bytes, last seq \(cell(result["last_seq"])), integrity \(cell(result["integrity"])), \(cell(result["seconds"])) s)")
        }
    }
}
