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
            with its service's name. A service that exits is reported and not restarted. Ctrl-C or \
            SIGTERM stops the services in reverse order and waits for each to exit.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The directory holding the banshi-* executables (default: beside banshictl).")
    var bin: String?

    func run() throws {
        let config = try global.loadConfig()
        let directory = bin ?? Self.ownDirectory()
        var plan: [String] = []
        for name in ["bus"] + config.services.map(\.name) {
            if FileManager.default.isExecutableFile(atPath: "\(directory)/banshi-\(name)") {
                plan.append(name)
            } else {
                Supervisor.say("skipping \(name): no executable banshi-\(name) in \(directory) (not built, or not part of this build)")
            }
        }
        guard plan.first == "bus" else {
            throw CLIFailure(message: "cannot start: banshi-bus is not in \(directory); build with `swift build` first")
        }
        let supervisor = Supervisor(directory: directory, configPath: global.config, width: plan.map(\.count).max() ?? 3)
        supervisor.installSignalHandlers()
        do {
            try supervisor.start("bus")
            try supervisor.waitUntilAnswering(service: "bus", endpoint: config.bus.control, within: .seconds(15))
            for name in plan.dropFirst() where !supervisor.isStopping {
                try supervisor.start(name)
            }
        } catch {
            Supervisor.say("\(error); stopping what was started")
            supervisor.stopAll(grace: config.runtime.shutdownGrace + .seconds(5))
            throw ExitCode(1)
        }
        Supervisor.say("running \(plan.joined(separator: ", ")); Ctrl-C stops everything")
        let clean = supervisor.waitForStop(grace: config.runtime.shutdownGrace + .seconds(5))
        if !clean { throw ExitCode(1) }
    }

    /// The directory of the running banshictl, where `swift build` puts its sibling executables.
    static func ownDirectory() -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (path as NSString).deletingLastPathComponent
    }
}

/// Starts, watches and stops the suite's processes for `banshictl up`.
final class Supervisor: Sendable {
    struct State {
        var processes: [(name: String, process: Process)] = []
        var stopping = false
        var failures: [String] = []
        /// Services whose exit has been reported, by whichever of the two paths saw it first.
        var reported: Set<String> = []
    }

    private let directory: String
    private let configPath: String
    private let width: Int
    private let state = Mutex(State())
    private let changed = DispatchSemaphore(value: 0)
    private static let output = Mutex<Void>(())

    init(directory: String, configPath: String, width: Int) {
        self.directory = directory
        self.configPath = configPath
        self.width = max(width, 2)
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Prints a line of banshictl's own, prefixed `up`.
    static func say(_ text: String) {
        output.withLock { _ in
            FileHandle.standardError.write(Data("up | \(text)\n".utf8))
        }
    }

    func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                let first = state.withLock { state -> Bool in
                    defer { state.stopping = true }
                    return !state.stopping
                }
                if first { Supervisor.say("stopping (signal \(signalNumber))") }
                changed.signal()
            }
            source.resume()
            Self.sources.append(source)
        }
    }

    /// Kept alive for the life of the process: `up` handles signals until it exits. Only appended to
    /// from the main thread, before any signal can be handled, and never read.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    func start(_ name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(directory)/banshi-\(name)")
        process.arguments = ["--config", configPath]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [self] finished in
            // An exit we asked for is reported by `stopAll`, which waits for it; this reports the others.
            let unexpected = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.failures.append(name)
                state.reported.insert(name)
                return true
            }
            if unexpected {
                Supervisor.say("\(name) exited unexpectedly (\(Self.describe(finished))); it is not restarted")
            }
            changed.signal()
        }
        for pipe in [stdout, stderr] { relay(pipe.fileHandleForReading, name: name) }
        try process.run()
        state.withLock { $0.processes.append((name, process)) }
        Supervisor.say("started \(name) (pid \(process.processIdentifier))")
    }

    private static func describe(_ process: Process) -> String {
        process.terminationReason == .uncaughtSignal
            ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
    }

    /// Copies a child's output to ours, line by line, each line prefixed with the service's name.
    private func relay(_ handle: FileHandle, name: String) {
        let prefix = name.padding(toLength: width, withPad: " ", startingAt: 0) + " | "
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex...newline]
                    Supervisor.output.withLock { _ in
                        FileHandle.standardError.write(Data(prefix.utf8) + line)
                    }
                    pending = Data(pending[pending.index(after: newline)...])
                }
            }
            if !pending.isEmpty {
                Supervisor.output.withLock { _ in FileHandle.standardError.write(Data(prefix.utf8) + pending + Data("\n".utf8)) }
            }
        }
        thread.start()
    }

    /// Polls `status` until the service answers; fails if it exits or the time runs out.
    func waitUntilAnswering(service: String, endpoint: String, within limit: Duration) throws {
        let context = try Context()
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.stopping || $0.failures.contains(service) }) {
                throw CLIFailure(message: "\(service) did not come up")
            }
            let client = try ControlClient(context: context, service: service, endpoint: endpoint, timeout: .milliseconds(300))
            if (try? client.call("status").get()) != nil { return }
        }
        throw CLIFailure(message: "\(service) did not answer at \(endpoint) within \(limit)")
    }

    /// Waits for a stop signal or for every process to exit, then stops what runs. Returns whether
    /// every service ran and stopped cleanly.
    func waitForStop(grace: Duration) -> Bool {
        while true {
            changed.wait()
            let (stopping, allExited) = state.withLock { state in
                (state.stopping, state.processes.allSatisfy { !$0.process.isRunning })
            }
            if stopping { break }
            if allExited {
                Supervisor.say("every service has exited")
                return false
            }
        }
        stopAll(grace: grace)
        return state.withLock { $0.failures.isEmpty }
    }

    /// SIGTERM in reverse start order, each waited for; SIGKILL after `grace`.
    func stopAll(grace: Duration) {
        let processes = state.withLock { state in
            state.stopping = true
            return state.processes
        }
        for (name, process) in processes.reversed() {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                let deadline = ContinuousClock.now + grace
                while process.isRunning && ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.02)
                }
                if process.isRunning {
                    Supervisor.say("\(name) did not stop within \(grace); killing it")
                    kill(process.processIdentifier, SIGKILL)
                }
            }
            process.waitUntilExit()
            let clean = process.terminationStatus == 0 && process.terminationReason == .exit
            let unreported = state.withLock { state -> Bool in
                guard state.reported.insert(name).inserted else { return false }
                if !clean { state.failures.append(name) }
                return true
            }
            if unreported { Supervisor.say("\(name) stopped (\(Self.describe(process)))") }
        }
    }
}
