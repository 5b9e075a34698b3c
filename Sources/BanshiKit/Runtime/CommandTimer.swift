import Logging
import ServiceLifecycle
import UnixSignals

/// Sends commands to the service's own control socket: once at start, at an interval, or both
/// (see `SelfCaller` for why through the socket).
public struct CommandTimer: Service {
    let commands: [String]
    let interval: Duration?
    let atStart: Bool
    let caller: SelfCaller

    /// `interval: nil` sends the commands once, at start (`atStart` must then be true).
    public init(
        _ commands: [String], every interval: Duration?, atStart: Bool = false, environment: ServiceEnvironment, control: String
    ) {
        self.commands = commands
        self.interval = interval
        self.atStart = atStart
        self.caller = SelfCaller(environment: environment, control: control)
    }

    public func run() async throws {
        // The start is worth a line in the log; a recurring tick is not.
        if atStart { await caller.send(commands, logLevel: .info) }
        guard let interval else {
            // A service that returns early would stop the whole group: stay until shutdown.
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { break }
            await caller.send(commands, logLevel: .debug)
        }
    }
}

/// Sends a command to the service's own control socket on each SIGHUP: how `systemctl reload` reaches
/// a service whose reload is a command (`rules.reload`, say).
public struct HangupCommand: Service {
    let command: String
    let caller: SelfCaller

    public init(_ command: String, environment: ServiceEnvironment, control: String) {
        self.command = command
        self.caller = SelfCaller(environment: environment, control: control)
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await caller.send([command], logLevel: .info)
        }
    }
}
