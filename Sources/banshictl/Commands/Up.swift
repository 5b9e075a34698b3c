import ArgumentParser
import BanshiKit
import Foundation
import Synchronization
import ZeroMQ

/// `banshictl up`: run the whole suite in the foreground.
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every configured service in the foreground until Ctrl-C or SIGTERM.",
        discussion: """
            Starts the bus, waits until it answers, then every service of the configuration whose \
            executable (banshi-NAME) stands beside banshictl, or in --bin. Each log line is prefixed \
            with its service's name. Once every service answers, one line says so with the endpoints. \
            A service that exits unexpectedly is restarted after a back-off (1, 2, 4 … 30 s), at most \
            --max-restarts (5) times a minute, each restart logged; one that exits 78 (a configuration error) is not. \
            `banshictl stop|start|restart SERVICE` and `banshictl ps` act on a running up. Ctrl-C or \
            SIGTERM stops the services in reverse order and waits for each to exit. It starts nothing \
            when the suite already runs (another up on the same data directory, or a bus answering at \
            the configured endpoint) and says so.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The directory holding the banshi-* executables (default: beside banshictl).")
    var bin: String?

    @Option(name: .long, help: "Restarts of one service within a minute before up gives up on it (0: never restart).")
    var maxRestarts = 5

    func validate() throws {
        guard (0...100).contains(maxRestarts) else { throw ValidationError("--max-restarts is 0 to 100, not \(maxRestarts)") }
    }

    func run() throws {
        let config = try global.loadConfig()
        let directory = bin ?? Self.ownDirectory()
        var plan: [String] = []
        let buses = config.buses.map(\.name)
        for name in buses + config.services.map(\.name) {
            // Every bus runs banshi-bus (a further one with --instance).
            let executable = buses.contains(name) ? "bus" : name
            if FileManager.default.isExecutableFile(atPath: "\(directory)/banshi-\(executable)") {
                plan.append(name)
            } else {
                Supervisor.say("skipping \(name): no executable banshi-\(name) in \(directory) (not built, or not part of this build)")
            }
        }
        guard plan.first == "bus" else {
            throw CLIFailure(message: "cannot start: banshi-bus is not in \(directory); build with `swift build` first")
        }
        try UpControl.refuseIfRunning(config)
        let supervisor = Supervisor(
            directory: directory, configPath: global.config, width: plan.map(\.count).max() ?? 3,
            grace: config.runtime.shutdownGrace + .seconds(5), restartLimit: maxRestarts)
        supervisor.installSignalHandlers()
        do {
            try UpControl.serve(supervisor, config: config)
            for bus in config.buses where !supervisor.isStopping {
                try supervisor.start(bus.name)
                try supervisor.waitUntilAnswering(service: bus.name, endpoint: bus.control, within: .seconds(15))
            }
            let services = plan.filter { !buses.contains($0) }
            for name in services where !supervisor.isStopping {
                try supervisor.start(name)
            }
            for name in services where !supervisor.isStopping {
                try supervisor.waitUntilAnswering(service: name, endpoint: config.controlEndpoint(of: name) ?? "", within: .seconds(30))
            }
        } catch is Supervisor.Interrupted {
            // Stopped as asked before every service was up: what was started stops as it would after.
            Supervisor.say("stopping before every service was up, as asked")
            supervisor.stopAll()
            UpControl.removeEndpoint(config)
            if !supervisor.stoppedCleanly { throw ExitCode(1) }
            return
        } catch {
            Supervisor.say("\(error); stopping what was started")
            supervisor.stopAll()
            UpControl.removeEndpoint(config)
            throw ExitCode(1)
        }
        let endpoints = plan.filter { !buses.contains($0) }.map { "\($0) \(config.controlEndpoint(of: $0) ?? "?")" }
        let busLine = config.buses.map { "\($0.name) (publish \($0.publish), subscribe \($0.subscribe))" }
        Supervisor.say("ready: \((busLine + endpoints).joined(separator: ", ")); Ctrl-C stops everything")
        let clean = supervisor.waitForStop()
        UpControl.removeEndpoint(config)
        if !clean { throw ExitCode(1) }
    }

    /// The directory of the running banshictl, where `swift build` puts its sibling executables.
    static func ownDirectory() -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (path as NSString).deletingLastPathComponent
    }
}
