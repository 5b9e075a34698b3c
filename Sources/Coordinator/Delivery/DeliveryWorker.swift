import BanshiKit
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import ZeroMQ

/// Delivers the pending routes: sends each command to its target, then settles the attempt through
/// the coordinator's own control socket (`route.settle`), where the outcome, the retry schedule and
/// the coordinator's event are written in one transaction.
///
/// The command's request id is the delivery id, so a command sent again after a crash or a lost
/// reply is applied once by the target. Sockets are owned by the worker's one thread.
final class DeliveryWorker: Sendable {
    private let database: ServiceDatabase
    private let context: Context
    private let controls: [String: String]
    private let ownControl: String
    private let timeout: Duration
    private let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private let thread = SocketThread(name: "banshi-delivery")

    init(database: ServiceDatabase, context: Context, controls: [String: String], ownControl: String, timeout: Duration, logger: Logger) {
        self.database = database
        self.context = context
        self.controls = controls
        self.ownControl = ownControl
        self.timeout = timeout
        self.logger = logger
    }

    /// Wakes the worker at once (new deliveries were decided).
    func nudge() { wake.signal() }

    func start() async throws {
        try await thread.start { [self] started in
            started(.success(()))
            loop()
        }
    }

    func stop() async {
        await thread.stop { wake.signal() }
    }

    private struct Due {
        let id: String
        let rule: String
        let target: String
        let command: String
        let args: String?
        let problem: String?
        let correlationID: String
        let attempts: Int64
    }

    private func loop() {
        var clients: [String: ControlClient] = [:]
        var throttles: [String: WarningThrottle] = [:]
        while !thread.isStopping {
            let due: [Due]
            do {
                due = try database.writer.read { db in
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT id, rule_id, target, command, args, problem, correlation_id, attempts FROM delivery
                            WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 32
                            """,
                        arguments: [Timestamp.format(Date())]
                    ).map {
                        Due(
                            id: $0["id"], rule: $0["rule_id"], target: $0["target"], command: $0["command"], args: $0["args"], problem: $0["problem"],
                            correlationID: $0["correlation_id"], attempts: $0["attempts"])
                    }
                }
            } catch {
                logger.error("reading pending deliveries failed", metadata: ["error": "\(error)"])
                due = []
            }
            // A target that timed out once in this pass is not tried again in it: its other routes
            // wait for their own retry time instead of costing a timeout each, ahead of other targets'.
            var unreachable: Set<String> = []
            var attempted = 0
            for delivery in due where !thread.isStopping && !unreachable.contains(delivery.target) {
                let outcome = deliver(delivery, clients: &clients)
                if outcome.code == "timeout" { unreachable.insert(delivery.target) }
                settle(delivery, outcome, clients: &clients)
                report(delivery, outcome, throttles: &throttles)
                attempted += 1
            }
            if attempted == 0 { _ = wake.wait(timeout: .now() + .milliseconds(200)) }
        }
    }

    /// What one attempt came to: `delivered`, `retry` (timeout, `unavailable`) or `dead`.
    private struct Outcome {
        let kind: String
        let code: String?
        let message: String?
    }

    private func deliver(_ delivery: Due, clients: inout [String: ControlClient]) -> Outcome {
        if let problem = delivery.problem { return Outcome(kind: "dead", code: "unroutable", message: problem) }
        guard let endpoint = controls[delivery.target] else {
            return Outcome(kind: "dead", code: "unroutable", message: "\(delivery.target) is not configured")
        }
        let args = (try? JSONValue.parse(Array((delivery.args ?? "{}").utf8)))?.objectValue ?? [:]
        do {
            let client = try clients[delivery.target] ?? ControlClient(context: context, service: delivery.target, endpoint: endpoint, timeout: timeout)
            clients[delivery.target] = client
            let reply = try client.call(CommandRequest(id: delivery.id, command: delivery.command, args: args, correlationid: delivery.correlationID))
            switch reply.outcome {
            case .success: return Outcome(kind: "delivered", code: nil, message: nil)
            case .failure(let error) where error.code == .unavailable:
                return Outcome(kind: "retry", code: error.code.rawValue, message: error.message)
            case .failure(let error):
                return Outcome(kind: "dead", code: error.code.rawValue, message: error.message)
            }
        } catch {
            // A timeout or a socket error: the target may be down. A fresh socket next time, so that
            // nothing queued for the old connection is sent twice in a burst.
            clients[delivery.target] = nil
            return Outcome(kind: "retry", code: "timeout", message: "\(error)")
        }
    }

    /// Says where an operator looks what went wrong: every dead letter as an error naming the rule,
    /// target and reason; a target that keeps timing out as a warning at most every ten seconds per
    /// target (with how many attempts failed meanwhile); a delivery that got through after failures.
    private func report(_ delivery: Due, _ outcome: Outcome, throttles: inout [String: WarningThrottle]) {
        let metadata: Logger.Metadata = [
            "rule": "\(delivery.rule)", "target": "\(delivery.target)", "command": "\(delivery.command)",
            "delivery": "\(delivery.id)", "attempt": "\(delivery.attempts + 1)",
        ]
        switch outcome.kind {
        case "dead":
            logger.error(
                "route dead-lettered", metadata: metadata.merging(["code": "\(outcome.code ?? "-")", "reason": "\(outcome.message ?? "-")"]) { $1 })
        case "retry":
            if let failed = throttles[delivery.target, default: WarningThrottle()].occurred() {
                logger.warning(
                    "delivery failed; will retry",
                    metadata: metadata.merging(["code": "\(outcome.code ?? "-")", "reason": "\(outcome.message ?? "-")", "failures_since_last_warning": "\(failed)"]) { $1 })
            }
        default:
            if delivery.attempts > 0 { logger.info("delivered after failed attempts", metadata: metadata) }
        }
    }

    /// The key under which the worker keeps its client of the coordinator's own control socket (no
    /// rule may target the coordinator, so it is never a target's).
    private static let own = "coordinator"

    private func settle(_ delivery: Due, _ outcome: Outcome, clients: inout [String: ControlClient]) {
        var args: [String: JSONValue] = ["delivery_id": .string(delivery.id), "outcome": .string(outcome.kind)]
        if let code = outcome.code { args["code"] = .string(code) }
        if let message = outcome.message { args["message"] = .string(message) }
        do {
            // One request id per attempt: a settle sent twice (its reply lost) is recorded once.
            let request = CommandRequest(id: "settle/\(delivery.id)/\(delivery.attempts + 1)", command: "route.settle", args: args)
            // One connection for every settlement: with CURVE on, a new one would cost a handshake each.
            let client = try clients[Self.own] ?? ControlClient(context: context, service: Self.own, endpoint: ownControl, timeout: timeout)
            clients[Self.own] = client
            if case .failure(let error) = try client.call(request).outcome {
                logger.warning("settling a delivery failed", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
            }
        } catch {
            clients[Self.own] = nil
            // The delivery stays pending and is sent again; the target answers it from its stored reply.
            logger.warning("settling a delivery failed", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        logger.debug("delivery attempt", metadata: ["delivery": "\(delivery.id)", "outcome": "\(outcome.kind)", "code": "\(outcome.code ?? "-")"])
    }
}

/// Runs the worker for the life of the service.
struct DeliveryService: Service {
    let worker: DeliveryWorker

    func run() async throws {
        try await worker.start()
        try? await gracefulShutdown()
        await worker.stop()
    }
}
