import Logging
import ZeroMQ

/// Sends commands to the service's own control socket, for work that starts inside the process (a
/// timer, a signal) but must run like an admin's command: in a transaction, stored, audited.
///
/// The call blocks until the reply, so it runs on a thread of its own (`onOwnThread`): the dispatcher
/// that has to answer needs the cooperative pool. The client socket lives only within one call.
public struct SelfCaller: Sendable {
    let service: String
    let control: String
    let context: Context
    let timeout: Duration
    let logger: Logger

    public init(environment: ServiceEnvironment, control: String) {
        service = environment.name
        self.control = control
        context = environment.context
        timeout = environment.config.runtime.requestTimeout
        logger = environment.logger
    }

    /// Sends each command in order and logs its outcome at `logLevel` (failures at warning).
    public func send(_ commands: [String], logLevel: Logger.Level) async {
        let caller = self
        _ = try? await onOwnThread { for command in commands { caller.sendNow(command, logLevel: logLevel) } }
    }

    private func sendNow(_ command: String, logLevel: Logger.Level) {
        do {
            let client = try ControlClient(context: context, service: service, endpoint: control, timeout: timeout)
            let reply = try client.call(CommandRequest(id: "\(command)/" + OpaqueID.make("T"), command: command))
            switch reply.outcome {
            case .success(let result):
                logger.log(level: logLevel, "internal command done", metadata: ["command": "\(command)", "result": "\(result.serialized())"])
            case .failure(let error):
                logger.warning("internal command failed", metadata: ["command": "\(command)", "error": "\(error)"])
            }
        } catch {
            logger.warning("internal command could not run", metadata: ["command": "\(command)", "error": "\(error)"])
        }
    }
}
