import Foundation
import Logging
import ServiceLifecycle
import ZeroMQ

/// Sends commands to the service's own control socket: once at start, at an interval, or both.
///
/// Going through the socket, not around it, gives timed work (a deadline scan, an import at start)
/// the same transaction, reply storage and audit trail as an admin's command. Each tick sends the
/// commands in order, on a thread of its own (the call blocks until the reply, and the dispatcher
/// that answers it needs the cooperative pool); the client socket lives only within that tick.
public struct CommandTimer: Service {
    let service: String
    let commands: [String]
    let interval: Duration?
    let atStart: Bool
    let context: Context
    let control: String
    let timeout: Duration
    let logger: Logger

    /// `interval: nil` sends the commands once, at start (`atStart` must then be true).
    public init(
        _ commands: [String], every interval: Duration?, atStart: Bool = false, environment: ServiceEnvironment, control: String
    ) {
        self.service = environment.name
        self.commands = commands
        self.interval = interval
        self.atStart = atStart
        self.context = environment.context
        self.control = control
        self.timeout = environment.config.runtime.requestTimeout
        self.logger = environment.logger
    }

    public func run() async throws {
        if atStart { await tick(logLevel: .info) }
        guard let interval else {
            // A service that returns early would stop the whole group: stay until shutdown.
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { break }
            await tick(logLevel: .debug)
        }
    }

    /// Sends every command once; a recurring tick logs its results at debug, the start at info.
    private func tick(logLevel: Logger.Level) async {
        let timer = self
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                for command in timer.commands { timer.send(command, logLevel: logLevel) }
                continuation.resume()
            }.start()
        }
    }

    private func send(_ command: String, logLevel: Logger.Level) {
        do {
            let client = try ControlClient(context: context, service: service, endpoint: control, timeout: timeout)
            let reply = try client.call(CommandRequest(id: "\(command)/" + OpaqueID.make("T"), command: command))
            switch reply.outcome {
            case .success(let result):
                logger.log(level: logLevel, "timed command done", metadata: ["command": "\(command)", "result": "\(result.serialized())"])
            case .failure(let error):
                logger.warning("timed command failed", metadata: ["command": "\(command)", "error": "\(error)"])
            }
        } catch {
            logger.warning("timed command could not run", metadata: ["command": "\(command)", "error": "\(error)"])
        }
    }
}
