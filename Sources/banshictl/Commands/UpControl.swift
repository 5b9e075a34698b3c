import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// The channel between a running `banshictl up` and `banshictl stop|start|restart|ps`: a REP socket on
/// `ipc://<data_dir>/up.ipc`, inside the suite's 0700 data directory, so only its owner reaches it.
/// A request is one frame, `VERB SERVICE` (or `ps`); the reply is `ok TEXT` or `error TEXT`.
enum UpControl {
    static func endpoint(_ config: SuiteConfig) -> String {
        let directory = config.dataDirectory.hasPrefix("/")
            ? config.dataDirectory : FileManager.default.currentDirectoryPath + "/" + config.dataDirectory
        return "ipc://" + (directory as NSString).standardizingPath + "/up.ipc"
    }

    /// The file of an `ipc://` endpoint (its path without `ipc://`); nil for another transport.
    static func ipcFile(_ endpoint: String) -> String? {
        endpoint.hasPrefix("ipc://") ? String(endpoint.dropFirst("ipc://".count)) : nil
    }

    /// The socket's file, removed when `up` ends so that `stop` and the like say at once that none runs.
    static func removeEndpoint(_ config: SuiteConfig) {
        if let file = ipcFile(endpoint(config)) { try? FileManager.default.removeItem(atPath: file) }
    }

    /// Serves requests on a thread of its own until the supervisor stops.
    static func serve(_ supervisor: Supervisor, config: SuiteConfig) throws {
        try FileManager.default.createDirectory(
            atPath: config.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let context = try Context()
        let socket = try Socket(context, .rep)
        try socket.setLinger(.zero)
        let endpoint = endpoint(config)
        // A stale file from an `up` that was killed would refuse the bind.
        removeEndpoint(config)
        try socket.bind(endpoint)
        let box = UncheckedSocket(socket: socket, context: context)
        Thread {
            let poller = Poller()
            poller.add(box.socket)
            while !supervisor.isStopping {
                guard (try? poller.poll(timeout: .milliseconds(200))) ?? 0 > 0,
                    let request = try? box.socket.receiveMultipart(dontWait: true)
                else { continue }
                let reply = answer(String(decoding: request.first ?? [], as: UTF8.self), supervisor)
                _ = try? box.socket.send(parts: [Array(reply.utf8)])
            }
        }.start()
    }

    private static func answer(_ request: String, _ supervisor: Supervisor) -> String {
        let words = request.split(separator: " ").map(String.init)
        do {
            switch (words.first, words.count) {
            case ("ps", 1): return "ok " + supervisor.listing()
            case ("state", 2): return supervisor.state(of: words[1]).map { "ok " + $0 } ?? "error up runs no service '\(words[1])'"
            case ("stop", 2): return "ok " + (try supervisor.stop(words[1]))
            case ("start", 2): return "ok " + (try supervisor.startAgain(words[1]))
            case ("restart", 2): return "ok " + (try supervisor.restart(words[1]))
            default: return "error unknown request '\(request)'"
            }
        } catch {
            return "error \(error)"
        }
    }

    /// Sends one request to the running `up` and prints its answer; exits 4 when no `up` answers, 1
    /// when it refuses.
    static func request(_ text: String, global: GlobalOptions) throws {
        let config = try global.loadConfig()
        let endpoint = endpoint(config)
        guard mayAnswer(endpoint) else {
            printError("banshictl: no `banshictl up` is running for \(config.file) (nothing at \(endpoint)); under systemd use systemctl")
            throw ExitCode(4)
        }
        // Stopping a service may take its whole shutdown grace.
        let limit = global.replyTimeout(config) + config.runtime.shutdownGrace + .seconds(5)
        guard let answer = try ask(text, config: config, within: limit) else {
            printError("banshictl: `banshictl up` did not answer at \(endpoint) within \(limit.readable)")
            throw ExitCode(4)
        }
        if answer.hasPrefix("ok ") {
            print(answer.dropFirst(3))
        } else {
            printError("banshictl: " + answer.dropFirst("error ".count))
            throw ExitCode(1)
        }
    }

    /// The state a running `up` gives `service` (`running`, `starting`, `restarting`, `given up`, `stopped`); nil
    /// when no `up` runs this suite, or it runs no such service.
    static func state(of service: String, config: SuiteConfig) throws -> String? {
        guard mayAnswer(endpoint(config)), let answer = try ask("state \(service)", config: config, within: .seconds(1)),
            answer.hasPrefix("ok ")
        else { return nil }
        return String(answer.dropFirst(3))
    }

    /// The running `up`'s answer to `text`, or nil when none came within `limit`.
    private static func ask(_ text: String, config: SuiteConfig, within limit: Duration) throws -> String? {
        let socket = try Socket(Context(), .req)
        try socket.setLinger(.zero)
        try socket.connect(endpoint(config))
        try socket.send(parts: [Array(text.utf8)])
        let poller = Poller()
        poller.add(socket)
        guard try poller.poll(timeout: limit) > 0, let reply = try socket.receiveMultipart(dontWait: true)?.first else { return nil }
        return String(decoding: reply, as: UTF8.self)
    }

    /// Refuses to start a suite that already runs: another `up` on the same data directory, or a bus
    /// answering at this configuration's control endpoint (the suite under systemd, say). Going on
    /// would take the other `up`'s control socket from it, and wait for the other suite's bus as if
    /// it were the one just started, while every service of its own failed to bind.
    static func refuseIfRunning(_ config: SuiteConfig) throws {
        if mayAnswer(endpoint(config)), try ask("ps", config: config, within: .seconds(1)) != nil {
            throw CLIFailure(
                message: "another `banshictl up` already runs this suite (it answers at \(endpoint(config))); "
                    + "stop it first (Ctrl-C in its terminal), or see it with `banshictl ps`")
        }
        let context = try Context()
        for bus in config.buses where mayAnswer(bus.control) {
            let client = try ControlClient(context: context, service: bus.name, endpoint: bus.control, timeout: .milliseconds(300))
            guard let status = try? client.call("status").get() else { continue }
            let pid = status["pid"]?.intValue.map { " (pid \($0))" } ?? ""
            throw CLIFailure(
                message: "\(bus.name) already answers at \(bus.control)\(pid): this suite is already running, "
                    + "under systemd (`systemctl stop banshi.target`) or another `banshictl up`; stop it first")
        }
    }
}

extension UpControl {
    /// Whether something may answer at `endpoint`: false when nothing listens there for certain (a
    /// TCP port on this machine's loopback that refuses a connection, an ipc socket with no file);
    /// true otherwise, for the caller to ask. Asking where nothing listens costs the whole timeout,
    /// since ZeroMQ keeps trying to connect: 300 ms of every `up`.
    static func mayAnswer(_ endpoint: String) -> Bool {
        if let file = ipcFile(endpoint) { return FileManager.default.fileExists(atPath: file) }
        guard let (host, port) = Endpoint.tcpAddress(endpoint) else { return true }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        // Loopback only: there a refusal is immediate, where another host could keep a connect waiting.
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1, UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127 else { return true }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return connected == 0 || errno != ECONNREFUSED
    }
}

/// The control socket and its context, handed to the serving thread, its only user.
private struct UncheckedSocket: @unchecked Sendable {
    let socket: Socket
    let context: Context
}

/// `banshictl stop|start|restart SERVICE`, on a running `banshictl up`: one request each.
protocol UpServiceRequest: ParsableCommand {
    static var verb: String { get }
    var global: GlobalOptions { get }
    var service: String { get }
}

extension UpServiceRequest {
    func run() throws { try UpControl.request("\(Self.verb) \(service)", global: global) }
}

struct StopService: UpServiceRequest {
    static let verb = "stop"
    static let configuration = CommandConfiguration(
        commandName: verb, abstract: "Stop one service of a running `banshictl up` (it stays stopped until `start`).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service.", completion: Completions.services) var service: String
}

struct StartService: UpServiceRequest {
    static let verb = "start"
    static let configuration = CommandConfiguration(
        commandName: verb, abstract: "Start a stopped (or given-up) service of a running `banshictl up`.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service.", completion: Completions.services) var service: String
}

struct RestartService: UpServiceRequest {
    static let verb = "restart"
    static let configuration = CommandConfiguration(
        commandName: verb, abstract: "Stop one service of a running `banshictl up` and start it again.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service.", completion: Completions.services) var service: String
}

/// `banshictl ps`: the processes of a running `banshictl up`.
struct ProcessList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "The processes of a running `banshictl up`: state, pid, restarts in the last minute.")
    @OptionGroup var global: GlobalOptions
    func run() throws { try UpControl.request("ps", global: global) }
}
