import BanshiKit
import Foundation
import ZeroMQ

/// A throw-away Banshi suite for system tests: a temporary data directory, a config with free
/// 127.0.0.1 ports, the real executables, and wire clients to talk to them.
public final class TestSuite: @unchecked Sendable {
    // Mutated only by the one test that owns the suite, sequentially.
    public let directory: TemporaryDirectory
    public let configPath: String
    public let publishEndpoint: String
    public let subscribeEndpoint: String
    public let busControl: String
    public private(set) var controls: [String: String] = [:]
    public private(set) var processes: [String: ServiceProcess] = [:]
    public let context: Context
    /// With CURVE on: the keys directory, and the identity `call` and `send` act as (admin by default).
    public private(set) var keysDirectory: String?
    public var identity: CurveIdentity?
    /// How long `call` waits for a reply unless told: 60 s. A test checks what a reply says, not how
    /// soon it comes (the benchmarks measure that): with the whole suite running on two cores, a debug
    /// build has taken over 5 s for `emit count=5000` and for hashing a MiB of evidence. Over a slow,
    /// lossy link a connection whose handshake loses packets waits out TCP's retransmission timeouts too.
    public var callTimeout: Duration = .seconds(60)

    /// The network namespace each placed service runs in.
    public let namespaces: [String: String]

    /// Every further bus (`bus-b`, …): its publish and subscribe endpoints (its control is in `controls`).
    public private(set) var furtherBuses: [String: (publish: String, subscribe: String)] = [:]

    /// Writes a config for the bus and `services` (each gets a control port), plus `extra` TOML.
    /// `bus` and `serviceKeys[name]` are extra lines for the `[bus]` and `[services.<name>]` sections;
    /// `buses` names further buses (`bus-b`), each with endpoints of its own.
    /// With `hosts`, `placement` puts services (and `bus`) in those network namespaces: their
    /// endpoints are on the host's address, and `start` runs them inside it.
    public init(
        services: [String] = ["loadgen"], runtime: String = "", bus: String = "", serviceKeys: [String: String] = [:],
        extra: String = "", curve: Bool = false, allowNow: Bool = true, buses: [String] = [],
        hosts: NetworkHosts? = nil, placement: [String: String] = [:]
    ) throws {
        directory = try TemporaryDirectory()
        context = try Context()
        namespaces = placement.compactMapValues { hosts?.hosts[$0]?.namespace }
        func endpoint(_ service: String) -> String {
            guard let host = placement[service].flatMap({ hosts?.hosts[$0] }) else { return FreePort.endpoint() }
            return "tcp://\(host.address):\(FreePort.next())"
        }
        publishEndpoint = endpoint("bus")
        subscribeEndpoint = endpoint("bus")
        busControl = endpoint("bus")
        var text = """
            [suite]
            data_dir = "\(directory.file(Self.dataDirectoryName))"
            log_level = "debug"

            [bus]
            publish = "\(publishEndpoint)"
            subscribe = "\(subscribeEndpoint)"
            control = "\(busControl)"
            \(bus)

            [runtime]
            \(runtime.contains("request_timeout_ms") ? "" : "request_timeout_ms = 5000")
            allow_now = \(allowNow)
            \(runtime)

            """
        if curve {
            keysDirectory = directory.file("keys")
            var ring = KeyRing(directory: keysDirectory!, entries: [])
            let principals = [("bus", Role.service)] + services.map { ($0, Role.service) }
                + [("admin", .admin), ("operator", .operator), ("subscriber", .subscriber)]
            for (name, role) in principals {
                let pair = try CurveKeyPair.generate()
                try KeyFiles.writePair(pair, name: name, directory: keysDirectory!)
                ring = ring.adding(KeyRing.Entry(name: name, publicKey: pair.publicKey, role: role))
            }
            // A key that exists but is on no allow-list.
            try KeyFiles.writePair(try CurveKeyPair.generate(), name: "intruder", directory: keysDirectory!)
            try ring.save()
            text += "[security]\ncurve = true\nkeys_dir = \"\(keysDirectory!)\"\n\n"
            identity = try CurveIdentity.load(name: "admin", settings: SecuritySettings(curve: true, keysDirectory: keysDirectory!))
        }
        for name in buses {
            let (publish, subscribe, control) = (FreePort.endpoint(), FreePort.endpoint(), FreePort.endpoint())
            furtherBuses[name] = (publish, subscribe)
            controls[name] = control
            text += "[buses.\(name)]\npublish = \"\(publish)\"\nsubscribe = \"\(subscribe)\"\ncontrol = \"\(control)\"\n\n"
        }
        for service in services {
            let endpoint = endpoint(service)
            controls[service] = endpoint
            text += "[services.\(service)]\ncontrol = \"\(endpoint)\"\n\(serviceKeys[service] ?? "")\n\n"
        }
        text += extra
        configPath = directory.file("banshi.toml")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// The identity of key `name` in the suite's keys directory.
    public func identity(named name: String) throws -> CurveIdentity {
        guard let keysDirectory else { throw TestSuiteError("CURVE is off in this suite") }
        return try CurveIdentity.load(name: name, settings: SecuritySettings(curve: true, keysDirectory: keysDirectory))
    }

    /// Runs `body` with a fresh suite, and stops everything it started afterwards, even on failure.
    public static func with(
        services: [String] = ["loadgen"], runtime: String = "", bus: String = "", serviceKeys: [String: String] = [:],
        extra: String = "", curve: Bool = false, allowNow: Bool = true, buses: [String] = [],
        hosts: NetworkHosts? = nil, placement: [String: String] = [:], _ body: (TestSuite) async throws -> Void
    ) async throws {
        let suite = try TestSuite(
            services: services, runtime: runtime, bus: bus, serviceKeys: serviceKeys, extra: extra, curve: curve, allowNow: allowNow, buses: buses,
            hosts: hosts, placement: placement)
        do {
            try await body(suite)
        } catch {
            await suite.shutdown()
            throw error
        }
        await suite.shutdown()
    }

    /// Starts any executable of the build with the suite's config appended, and stops it at shutdown.
    public func launch(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ServiceProcess {
        let process = try ServiceProcess(
            executable, arguments: arguments + ["--config", configPath],
            logPath: directory.file("\(executable)-\(processes.count).log"), environment: environment)
        processes["\(executable)#\(processes.count)"] = process
        return process
    }

    /// The suite's data directory, inside its temporary directory.
    static let dataDirectoryName = "var"

    /// Where `service` keeps its state: `<data_dir>/<service>`.
    public func stateDirectory(_ service: String) -> String {
        SuiteConfig.stateDirectory(in: directory.file(Self.dataDirectoryName), of: service)
    }

    /// The SQLite file of `service`: `<data_dir>/<service>/<service>.sqlite`, as the runtime names it.
    public func databasePath(_ service: String) -> String {
        SuiteConfig.databasePath(in: directory.file(Self.dataDirectoryName), of: service)
    }

    /// The control endpoint of `service` (`bus` included).
    public func control(_ service: String) -> String {
        service == "bus" ? busControl : controls[service]!
    }

    /// Starts `banshi-<service>` (a further bus: `banshi-bus --instance bus-b`) and waits until it
    /// answers `status`.
    ///
    /// A start-up that fails to bind is tried twice more, 200 ms apart. The suite's ports come from
    /// `FreePort`, outside the kernel's ephemeral range, probed with a close-on-exec socket (its note
    /// says what a probe inherited by a process the test started did); a port held for good fails all
    /// three, and the error lists who holds it.
    @discardableResult
    public func start(_ service: String, environment: [String: String] = [:]) async throws -> ServiceProcess {
        let further = furtherBuses[service] != nil
        var attempt = 1
        while true {
            let process = try ServiceProcess(
                further ? "banshi-bus" : "banshi-\(service)", arguments: ["--config", configPath] + (further ? ["--instance", service] : []),
                logPath: directory.file("\(service).log"), environment: environment, namespace: namespaces[service])
            processes[service] = process
            do {
                try await waitUntilAnswering(service)
                return process
            } catch where attempt < 3 && process.log.contains(Self.bindCollision) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// How a service's log says that one of its endpoints could not be bound.
    public static let bindCollision = ") failed: Address already in use"

    /// Polls `status` until `service` answers, failing with its log if it exits or takes too long.
    /// The limit is generous (60 s): a service that exits fails at once, and with the whole suite on
    /// two cores a debug executable has taken 19 s to start (a benchmark started by a test missed the
    /// 20 s this limit was).
    public func waitUntilAnswering(_ service: String, within limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let process = processes[service], ServiceProcess.hasEnded(process.pid) {
                let log = process.log
                throw TestSuiteError("\(service) exited during start-up:\n\(log)\(await Self.portHolders(after: log))")
            }
            // Straight over the wire: a poll that gets no answer yet is no failure to explain.
            let status = CommandRequest(id: EventID.next(), command: "status", args: [:])
            if (try? await exchange(service, timeout: .milliseconds(250), { client in try client.call(status) }).get()) != nil { return }
        }
        throw TestSuiteError("\(service) did not answer within \(limit):\n\(processes[service]?.log ?? "")")
    }

    /// For a start-up that failed to bind (`…:PORT) failed: Address already in use`): every socket on
    /// that port as `ss -tanp` lists it, with its process, so that a collision says with whom.
    /// Empty for any other log.
    public static func portHolders(after log: String) async -> String {
        guard let failed = log.range(of: bindCollision) else { return "" }
        let port = String(log[..<failed.lowerBound].reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        guard !port.isEmpty, let (_, listing, _) = try? await runExternal("/usr/bin/ss", ["-tanp", "sport = :\(port)"], timeout: .seconds(10))
        else { return "" }
        return "\nsockets on port \(port) (ss -tanp):\n\(listing)"
    }

    /// Sends one command over the wire, off the cooperative thread pool.
    public func call(
        _ service: String, _ command: String, _ args: [String: JSONValue] = [:], id: String = EventID.next(),
        timeout: Duration? = nil
    ) async throws -> CommandReply {
        let request = CommandRequest(id: id, command: command, args: args)
        return try await exchange(service, "`\(command)`", timeout: timeout ?? callTimeout) { client in try client.call(request) }
    }

    /// The last lines of `service`'s log, when this suite started it: for an error that must say what the
    /// service was doing.
    private func logTail(_ service: String, lines: Int = 15) -> String {
        guard let log = processes[service]?.log, !log.isEmpty else { return "" }
        return "\n\(service)'s log ends:\n" + log.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Sends every request before reading any reply, and returns the replies in request order.
    public func pipeline(_ service: String, _ requests: [CommandRequest], timeout: Duration = .seconds(10)) async throws -> [CommandReply] {
        let replies = try await answers(service, requests, timeout: timeout)
        guard replies.count == requests.count else {
            let error = ControlClientError.timeout(service: service, endpoint: control(service), after: timeout)
            throw TestSuiteError("\(requests.count - replies.count) of \(requests.count) pipelined requests: \(error)\(logTail(service))")
        }
        return requests.compactMap { replies[$0.id] }
    }

    /// Sends every request before reading any reply, and returns the replies that came within
    /// `timeout`, by request id.
    public func answers(_ service: String, _ requests: [CommandRequest], timeout: Duration = .seconds(10)) async throws -> [String: CommandReply] {
        try await exchange(service, "\(requests.count) pipelined requests", timeout: timeout) { client in try client.callAll(requests) }
    }

    /// Sends raw frames to `service`'s control socket and returns the raw reply.
    public func send(_ service: String, frames: [[UInt8]], timeout: Duration? = nil) async throws -> [UInt8] {
        try await exchange(service, "raw frames", timeout: timeout ?? callTimeout) { client in try client.exchange(frames) }
    }

    /// `exchange`, with a failure that says what was sent (`what`) and what the service was doing: a
    /// test's failure must say more than "no answer".
    private func exchange<T: Sendable>(
        _ service: String, _ what: String, timeout: Duration, _ body: @escaping @Sendable (ControlClient) throws -> T
    ) async throws -> T {
        do {
            return try await exchange(service, timeout: timeout, body)
        } catch let error as ControlClientError {
            throw TestSuiteError("\(what): \(error)\(logTail(service))")
        }
    }

    private func exchange<T: Sendable>(
        _ service: String, timeout: Duration, _ body: @escaping @Sendable (ControlClient) throws -> T
    ) async throws -> T {
        let context = self.context
        let endpoint = control(service)
        let identity = self.identity
        return try await onOwnThread {
            let client = try ControlClient(context: context, service: service, endpoint: endpoint, timeout: timeout, identity: identity)
            return try body(client)
        }
    }

    /// Runs `banshictl` with `arguments` (the config is added) and returns its exit status and output.
    public func banshictl(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await Self.run("banshictl", arguments + ["--config", configPath], timeout: timeout)
    }

    /// Runs an executable of the build to completion.
    public static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await runExternal("\(ServiceProcess.executableDirectory)/\(executable)", arguments, timeout: timeout)
    }

    /// Runs any program (by path) to completion and returns its exit status and output. One that does
    /// not finish within `timeout` is stopped, and the error says where its threads stood (`stacks`).
    public static func runExternal(
        _ path: String, _ arguments: [String], timeout: Duration = .seconds(60), stacks: Bool = true
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = (path as NSString).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        // Its output goes to files, read once it has ended. A pipe's end would come only when every
        // holder of its write end closed it, and a process another test spawns at the same moment can
        // inherit that descriptor and hold it for a minute (`ServiceProcess.hasEnded`).
        let files = try TemporaryDirectory()
        defer { files.remove() }
        let (outPath, errPath) = (files.file("stdout"), files.file("stderr"))
        for file in [outPath, errPath] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        let (out, err) = (try FileHandle(forWritingTo: URL(fileURLWithPath: outPath)), try FileHandle(forWritingTo: URL(fileURLWithPath: errPath)))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? out.close()
        try? err.close()
        let read = { (file: String) in String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self) }
        guard let status = await ServiceProcess.waitForEnd(of: process, within: timeout) else {
            // Where it stands, for a failure that is rare and slow to reproduce.
            let pid = process.processIdentifier
            let state = ServiceProcess.statFields(pid).map { "state \($0.first ?? "?") in /proc" } ?? "gone from /proc, still running for Foundation"
            let threads = stacks ? await threadStacks(of: pid) : ""
            // SIGTERM, then SIGKILL: a test stops what it started, even a process that handles SIGTERM
            // (banshictl does) or is stuck where it cannot act on it.
            process.terminate()
            if await ServiceProcess.waitForEnd(of: process, within: .seconds(2)) == nil { kill(pid, SIGKILL) }
            throw TestSuiteError(
                "\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) (pid \(pid): \(state)); its stderr so far:\n\(read(errPath))\(threads)")
        }
        return (status, read(outPath), read(errPath))
    }

    /// Every thread's stack of the running process `pid`, as gdb prints them, for the error of a run
    /// that hung; empty where gdb is not installed, cannot attach, or itself hangs (it is not asked about).
    static func threadStacks(of pid: Int32) async -> String {
        let gdb = "/usr/bin/gdb"
        guard FileManager.default.isExecutableFile(atPath: gdb),
            let run = try? await runExternal(gdb, ["-p", "\(pid)", "-batch", "-nx", "-ex", "thread apply all bt 30"], timeout: .seconds(30), stacks: false)
        else { return "" }
        let frames = run.stdout.split(separator: "\n").filter { $0.hasPrefix("Thread ") || $0.hasPrefix("#") }
        return frames.isEmpty ? "" : "\nits threads, as gdb found them:\n" + frames.joined(separator: "\n")
    }

    /// Stops every process the suite started and removes its directory.
    public func shutdown() async {
        // Reverse start order: a supervisor (banshictl up) stops its own children first.
        for process in processes.values.sorted(by: { $0.pid > $1.pid }) { await process.stop() }
        directory.remove()
    }
}

/// Why a test suite step failed; the message carries the service's log.
public struct TestSuiteError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
