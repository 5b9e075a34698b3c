import ArgumentParser
import Foundation

/// `banshictl`: the admin's command line for a running Banshi suite.
@main
struct Banshictl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "banshictl",
        abstract: "Administer a Banshi suite: status, commands, events, and running it.",
        discussion: """
            Every subcommand reads the suite's configuration (--config, default config/banshi.toml) to find \
            the bus and the services' control endpoints. A service that does not answer within the timeout \
            is named with its endpoint, and banshictl exits non-zero; it never hangs.
            """,
        version: "0.1.0",
        subcommands: [Status.self, Services.self, Call.self, Events.self, Records.self, ChildrenRecords.self, PetitionRecords.self, Routes.self, DeadLetters.self, Trace.self, ReportCommand.self, Rebuild.self, HistoryQuery.self, Backup.self, Restore.self, Keys.self, Audit.self, Up.self, StopService.self, StartService.self, RestartService.self, ProcessList.self]
    )

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `help NAME` with a NAME that is no subcommand would print the general help and succeed: a
        // service's name (`help lawyer`) is a likely slip for its commands, so say where they are.
        if arguments.count >= 2, arguments[0] == "help", !arguments[1].hasPrefix("-"),
            !configuration.subcommands.contains(where: { $0._commandName == arguments[1] })
        {
            printError(
                "banshictl: no subcommand '\(arguments[1])' (see 'banshictl --help'); a service's own commands, with their arguments: "
                    + "banshictl call \(shellWord(arguments[1])) help")
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot(GlobalOptions.movedAfterSubcommand(arguments))
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            // Said as every other error of a running command is: `banshictl: …`, not ArgumentParser's `Error: …`.
            printError("banshictl: \(failure.message)")
            Foundation.exit(failure.code)
        } catch {
            exit(withError: error)
        }
    }
}
