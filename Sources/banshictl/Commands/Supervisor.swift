import BanshiKit
import Foundation
import Synchronization
import ZeroMQ

/// Starts, watches, restarts and stops the suite's processes for `banshictl up`.
///
/// A service that exits unexpectedly is restarted after a back-off (1, 2, 4, … up to 30 s), each
/// restart logged; after `restartLimit` restarts within `restartWindow` it is given up on, as is a
/// service that exits 78 (its configuration is wrong: restarting cannot help). `stop`, `start` and
/// `restart` of one service come from `banshictl stop|start|restart SERVICE` through `UpControl`.
final class Supervisor: Sendable {
    static let restartWindow = Duration.seconds(60)
    static let maximumBackOff = Duration.seconds(30)

    /// One service of the suite.
    struct Managed {
        var process: Process?
        /// Whether it should be running: false once stopped on request or given up on.
        var wanted = true
        /// When it was (re)started for an unexpected exit, for the restart limit.
        var restarts: [ContinuousClock.Instant] = []
        var restartPending = false
        var gaveUp = false
        /// A start is under way (its process made, not yet running): no other may begin.
        var starting = false

        /// As `ps` shows it: `running`, `starting`, `restarting` (waiting out a back-off), `given up` or
        /// `stopped`.
        var state: String {
            process?.isRunning == true
                ? "running" : starting ? "starting" : restartPending ? "restarting" : gaveUp ? "given up" : "stopped"
        }
    }

    struct State {
        var order: [String] = []
        var services: [String: Managed] = [:]
        var stopping = false
        var failures: [String] = []
    }

    private let directory: String
    private let configPath: String
    private let width: Int
    private let grace: Duration
    private let restartLimit: Int
    private let state = Mutex(State())
    private let changed = DispatchSemaphore(value: 0)
    private static let output = Mutex<Void>(())

    init(directory: String, configPath: String, width: Int, grace: Duration, restartLimit: Int) {
        self.restartLimit = restartLimit
        self.directory = directory
        self.configPath = configPath
        self.width = max(width, 2)
        self.grace = grace
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

    /// The services `up` runs, in start order.
    var names: [String] { state.withLock { $0.order } }

    /// Starts `name`'s executable (again); a further bus (`bus-b`) is `banshi-bus --instance bus-b`.
    /// Returns the process, or nil when one of `name` runs or another start of it is under way.
    ///
    /// One start at a time: the service is claimed under the lock before its process is made. Two
    /// starts at once (one asked for as a restart's back-off ran out) each started a process, and the
    /// one whose record the other overwrote ran on untracked, outliving `up`.
    @discardableResult
    func start(_ name: String) throws -> Process? {
        let process = Process()
        let further = SuiteConfig.isFurtherBus(name)
        process.executableURL = URL(fileURLWithPath: "\(directory)/banshi-\(further ? "bus" : name)")
        process.arguments = ["--config", configPath] + (further ? ["--instance", name] : [])
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [self] finished in exited(name, finished) }
        let claimed = state.withLock { state -> Bool in
            if state.services[name] == nil {
                state.order.append(name)
                state.services[name] = Managed()
            }
            guard !state.stopping, let managed = state.services[name], !managed.starting, managed.process?.isRunning != true else {
                return false
            }
            // Recorded before it runs, so that an exit at once is known as this process's.
            state.services[name]?.process = process
            state.services[name]?.starting = true
            state.services[name]?.wanted = true
            state.services[name]?.gaveUp = false
            // A start supersedes a restart still waiting out its back-off.
            state.services[name]?.restartPending = false
            return true
        }
        guard claimed else { return nil }
        for pipe in [stdout, stderr] { relay(pipe.fileHandleForReading, name: name) }
        do {
            try process.run()
        } catch {
            state.withLock { state in
                state.services[name]?.starting = false
                state.services[name]?.process = nil
            }
            throw error
        }
        let stopping = state.withLock { state in
            state.services[name]?.starting = false
            return state.stopping
        }
        // The whole suite began to stop while this one started: it stops too.
        if stopping { kill(process.processIdentifier, SIGTERM) }
        Supervisor.say("started \(name) (pid \(process.processIdentifier))")
        return process
    }

    /// What to do about a process that ended.
    private enum Outcome {
        case nothing
        case configurationError
        case restart(after: Duration, attempt: Int)
        case giveUp(restarts: Int)
    }

    private func exited(_ name: String, _ finished: Process) {
        let outcome = state.withLock { state -> Outcome in
            // An exit asked for (stop, restart, Ctrl-C) is reported by whoever asked.
            guard !state.stopping, var managed = state.services[name], managed.process === finished, managed.wanted else { return .nothing }
            defer { state.services[name] = managed }
            if finished.terminationReason == .exit && finished.terminationStatus == 78 {
                managed.wanted = false
                managed.gaveUp = true
                state.failures.append(name)
                return .configurationError
            }
            let now = ContinuousClock.now
            managed.restarts = managed.restarts.filter { now - $0 < Self.restartWindow }
            guard managed.restarts.count < restartLimit else {
                managed.wanted = false
                managed.gaveUp = true
                state.failures.append(name)
                return .giveUp(restarts: managed.restarts.count)
            }
            managed.restarts.append(now)
            managed.restartPending = true
            let attempt = managed.restarts.count
            return .restart(after: min(Self.maximumBackOff, .seconds(1 << (attempt - 1))), attempt: attempt)
        }
        let how = Self.describe(finished)
        switch outcome {
        case .nothing:
            break
        case .configurationError:
            Supervisor.say("\(name) exited unexpectedly (\(how): its configuration is wrong); it is not restarted")
        case .giveUp(let restarts):
            Supervisor.say("\(name) exited unexpectedly (\(how)) after \(restarts) restarts within \(Self.restartWindow); giving up on it")
        case .restart(let delay, let attempt):
            Supervisor.say("\(name) exited unexpectedly (\(how)); restarting it in \(delay) (restart \(attempt) of at most \(restartLimit) within \(Self.restartWindow))")
            DispatchQueue.global().asyncAfter(deadline: .now() + delay.timeInterval) { [self] in restartIfStillWanted(name) }
        }
        changed.signal()
    }

    private func restartIfStillWanted(_ name: String) {
        let go = state.withLock { state -> Bool in
            guard let managed = state.services[name], managed.restartPending else { return false }
            state.services[name]?.restartPending = false
            return managed.wanted && !state.stopping
        }
        guard go else { return }
        do {
            try start(name)
        } catch {
            Supervisor.say("\(name) could not be restarted: \(error)")
            state.withLock { state in
                state.services[name]?.wanted = false
                state.failures.append(name)
            }
            changed.signal()
        }
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

    /// Polls `status` until the service answers; fails if it gives up, exits for good, or the time runs out.
    func waitUntilAnswering(service: String, endpoint: String, within limit: Duration) throws {
        let context = try Context()
        let deadline = ContinuousClock.now + limit
        // What stood in the way last: a handshake that fails says more than "did not answer".
        var lastFailure: ControlClientError?
        while ContinuousClock.now < deadline {
            let (stopping, gaveUp) = state.withLock { ($0.stopping, $0.services[service]?.gaveUp == true) }
            if stopping { throw Interrupted() }
            if gaveUp { throw CLIFailure(message: "\(service) did not come up") }
            let client = try ControlClient(context: context, service: service, endpoint: endpoint, timeout: .milliseconds(300), watchHandshakes: true)
            do {
                if case .success = try client.call("status").outcome { return }
            } catch {
                // A refused key stays refused, and a protocol error at the handshake (CURVE on at one
                // end only) is not tried again: no use waiting.
                if case .refused = error { throw CLIFailure(message: "\(error)") }
                if case .handshakeFailed(_, _, nil, _) = error { throw CLIFailure(message: "\(error)") }
                lastFailure = error
            }
        }
        // Each probe waits 300 ms; what the operator waited for is the whole limit.
        if case .handshakeFailed(let service, let endpoint, _, let serverKey)? = lastFailure {
            throw CLIFailure(message: "\(ControlClientError.handshakeFailed(service: service, endpoint: endpoint, after: limit, serverKey: serverKey))")
        }
        throw CLIFailure(message: "\(service) did not answer at \(endpoint) within \(limit.readable)")
    }

    /// A stop signal (Ctrl-C, SIGTERM) came while the suite was starting: the operator's stop, not a
    /// service failing to come up.
    struct Interrupted: Error {}

    /// Waits for a stop signal, or for every service to have ended for good, then stops what runs.
    /// Returns whether every service ran and stopped cleanly.
    func waitForStop() -> Bool {
        while true {
            changed.wait()
            let (stopping, allEnded) = state.withLock { state in
                (state.stopping, state.services.values.allSatisfy { !$0.wanted && !$0.restartPending && $0.process?.isRunning != true })
            }
            if stopping { break }
            if allEnded {
                Supervisor.say("every service has ended")
                return false
            }
        }
        stopAll()
        return stoppedCleanly
    }

    /// Whether every service ran and stopped cleanly so far.
    var stoppedCleanly: Bool { state.withLock { $0.failures.isEmpty } }

    /// SIGTERM in reverse start order, each waited for; SIGKILL after the grace.
    func stopAll() {
        let order = state.withLock { state in
            state.stopping = true
            return state.order
        }
        for name in order.reversed() { terminate(name, reason: nil) }
    }

    /// Stops one service and waits for it; `reason` is said with the outcome ("as asked").
    private func terminate(_ name: String, reason: String?) {
        guard let process = state.withLock({ $0.services[name]?.process }) else { return }
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
        } else if reason == nil {
            return  // it ended before and was reported then
        }
        process.waitUntilExit()
        let clean = process.terminationStatus == 0 && process.terminationReason == .exit
        if !clean && reason == nil { state.withLock { $0.failures.append(name) } }
        Supervisor.say("\(name) stopped (\(Self.describe(process)))" + (reason.map { ", \($0)" } ?? ""))
    }

    // MARK: One service on request

    /// Stops `name` and keeps it stopped.
    func stop(_ name: String) throws -> String {
        try requireKnown(name)
        let running = state.withLock { state -> Bool in
            state.services[name]?.wanted = false
            state.services[name]?.restartPending = false
            return state.services[name]?.process?.isRunning == true
        }
        guard running else { return "\(name) is not running" }
        terminate(name, reason: "as asked")
        return "stopped \(name)"
    }

    /// Starts `name` if it is not running (a stopped or given-up service).
    func startAgain(_ name: String) throws -> String {
        try requireKnown(name)
        if let process = state.withLock({ $0.services[name]?.process }), process.isRunning {
            return "\(name) is already running (pid \(process.processIdentifier))"
        }
        state.withLock { $0.services[name]?.restarts = [] }
        guard let process = try start(name) else { return "\(name) is being started already" }
        return "started \(name) (pid \(process.processIdentifier))"
    }

    /// Stops `name` and starts it again.
    func restart(_ name: String) throws -> String {
        _ = try stop(name)
        state.withLock { $0.services[name]?.restarts = [] }
        guard let process = try start(name) else { return "\(name) is being started already" }
        return "restarted \(name) (pid \(process.processIdentifier))"
    }

    /// One line per service: name, state, pid, restarts within the window.
    func listing() -> String {
        state.withLock { state in
            var table = Table(["SERVICE", "STATE", "PID", "RESTARTS"])
            for name in state.order {
                guard let managed = state.services[name] else { continue }
                let running = managed.process?.isRunning == true
                table.add([name, managed.state, running ? "\(managed.process!.processIdentifier)" : "-", "\(managed.restarts.count)"])
            }
            return table.render()
        }
    }

    /// The state of `name` (as `Managed.state`); nil when up runs no such service.
    func state(of name: String) -> String? {
        state.withLock { $0.services[name]?.state }
    }

    private func requireKnown(_ name: String) throws {
        guard state.withLock({ $0.services[name] != nil }) else {
            throw CLIFailure(message: "up runs no service '\(name)' (it runs \(names.joined(separator: ", ")))")
        }
    }
}
