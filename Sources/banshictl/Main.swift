import ArgumentParser

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
        subcommands: [Status.self, Services.self, Call.self, Events.self, Records.self, ChildrenRecords.self, PetitionRecords.self, Routes.self, DeadLetters.self, Trace.self, ReportCommand.self, Rebuild.self, HistoryQuery.self, Backup.self, Keys.self, Audit.self, Up.self, StopService.self, StartService.self, RestartService.self, ProcessList.self]
    )

    static func main() async {
        await main(GlobalOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst())))
    }
}
