import Logging
import ServiceLifecycle
import ZeroMQ

/// Sends one command to the service's own control socket: once at start, at an interval, or both.
///
/// Going through the socket, not around it, gives timed work (a deadline scan, an import at start)
/// the same transaction, reply storage and audit trail as an admin's command. The client socket
/// lives only within one tick, on one thread, and never across a suspension point.
public struct CommandTimer: Service {
    let service: String
    let command: String
    let arguments: [String: JSONValue]
    let interval: Duration?
    let atStart: Bool
    let context: Context
    let control: String
    let timeout: Duration
    let logger: Logger

    /// `interval: nil` sends the command once, at start (`atStart` must then be true).
    public init(
        _ command: String, arguments: [String: JSONValue] = [:], every interval: Duration?, atStart: Bool = false,
        environment: ServiceEnvironment, control: String
    ) {
        self.service = environment.name
        self.command = command
        self.arguments = arguments
        self.interval = interval
        self.atStart = atStart
        self.context = environment.context
        self.control = control
        self.timeout = environment.config.runtime.requestTimeout
        self.logger = environment.logger
    }

    public func run() async throws {
        if atStart { send() }
        guard let interval else { return }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { break }
            send()
        }
    }

    private func send() {
        do {
            let client = try ControlClient(context: context, service: service, endpoint: control, timeout: timeout)
            let reply = try client.call(CommandRequest(id: "\(command)/" + OpaqueID.make("T"), command: command, args: arguments))
            switch reply.outcome {
            case .success(let result):
                logger.debug("timed command done", metadata: ["command": "\(command)", "result": "\(result.serialized())"])
            case .failure(let error):
                logger.warning("timed command failed", metadata: ["command": "\(command)", "error": "\(error)"])
            }
        } catch {
            logger.warning("timed command could not run", metadata: ["command": "\(command)", "error": "\(error)"])
        }
    }
}
