import BanshiKit
import Logging
import ServiceLifecycle
import ZeroMQ

/// Runs `deadlines.scan` on the service's own control socket at an interval.
///
/// Going through the socket, not around it, gives the timer's scans the same transaction, reply
/// storage and (later) audit trail as an admin's. The client socket lives only within one tick,
/// on one thread, and never across a suspension point.
struct DeadlineTimer: Service {
    let interval: Duration
    let context: Context
    let control: String
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { break }
            scanOnce()
        }
    }

    private func scanOnce() {
        do {
            let client = try ControlClient(context: context, service: "children", endpoint: control, timeout: timeout)
            let reply = try client.call(CommandRequest(id: "deadlines.scan/" + OpaqueID.make("T"), command: "deadlines.scan"))
            switch reply.outcome {
            case .success(let result):
                logger.debug("deadline scan", metadata: ["emitted": "\(result["emitted"]?.serialized() ?? "{}")"])
            case .failure(let error):
                logger.warning("deadline scan failed", metadata: ["error": "\(error)"])
            }
        } catch {
            logger.warning("deadline scan could not run", metadata: ["error": "\(error)"])
        }
    }
}
