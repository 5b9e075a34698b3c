import Dispatch
import BanshiKit
import SQLite
import Logging
import ZeroMQ

/// Delivers the pending routes to one target, on a thread of its own that owns its sockets.
///
/// Each pass takes up to `window` due routes of its target in order, sends them all on one
/// connection, waits one request timeout at most for the replies together, and settles every attempt
/// (pipelined too, so the coordinator commits them in one transaction). A target that does not
/// answer costs its own lane one timeout per pass; the other lanes go on.
final class DeliveryLane: Sendable {
    /// Which routes the lane takes.
    enum Target: Sendable {
        /// The routes to one configured service, at its control endpoint.
        case one(String, endpoint: String)
        /// The routes whose target is none of these (configured when they were decided, not now):
        /// each is dead-lettered as unroutable.
        case notConfigured([String])
    }

    struct Settings: Sendable {
        let database: ServiceDatabase
        let context: Context
        let ownControl: String
        let timeout: Duration
        let logger: Logger
    }

    /// The key under which a lane keeps its client of the coordinator's own control socket (no rule
    /// may target the coordinator, so it has no lane).
    static let own = "coordinator"
    /// Routes sent together in one pass.
    static let window = 64
    /// The longest a lane sleeps with nothing due, so that a route put back by hand (`dlq.retry`) is
    /// seen without a nudge.
    static let idleWait: Duration = .seconds(1)

    private let target: Target
    private let settings: Settings
    private let wake = DispatchSemaphore(value: 0)
    private let thread: SocketThread

    init(_ target: Target, _ settings: Settings) {
        self.target = target
        self.settings = settings
        switch target {
        case .one(let name, _): thread = SocketThread(name: "deliver-\(name)")
        case .notConfigured: thread = SocketThread(name: "deliver-unrouted")
        }
    }

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

    struct Due {
        let id: String
        let rule: String
        let target: String
        let command: String
        let args: String?
        let problem: String?
        let correlationID: String
        let attempts: Int64
    }

    /// What one attempt came to: `delivered`, `retry` (timeout, `unavailable`) or `dead`.
    struct Outcome {
        let kind: String
        let code: String?
        let message: String?

        static func dead(_ code: String, _ message: String) -> Outcome { Outcome(kind: "dead", code: code, message: message) }
    }

    /// The sockets and warning throttles a lane's thread owns.
    private struct Connections {
        var target: ControlClient?
        var own: ControlClient?
        var throttle = WarningThrottle()
    }

    private func loop() {
        var connections = Connections()
        while !thread.isStopping {
            let due: [Due]
            let nextDue: Timestamp?
            do {
                // When nothing is due, the same read says when the next retry is.
                (due, nextDue) = try settings.database.writer.read { db in
                    let due = try fetchDue(db)
                    return (due, due.isEmpty ? try fetchNextDue(db) : nil)
                }
            } catch {
                settings.logger.error("reading pending deliveries failed", metadata: ["error": "\(error)"])
                (due, nextDue) = ([], nil)
            }
            guard !due.isEmpty else {
                let wait = min(Self.idleWait.timeInterval, max(0.001, nextDue?.timeIntervalSinceNow ?? .infinity))
                _ = wake.wait(timeout: .now() + wait)
                continue
            }
            let outcomes = deliver(due, connections: &connections)
            settle(due, outcomes, connections: &connections)
            for delivery in due { report(delivery, outcomes[delivery.id]!, throttle: &connections.throttle) }
        }
    }

    /// The lane's filter on `delivery.target`, with its arguments.
    private var targetFilter: (sql: String, arguments: [String]) {
        switch target {
        case .one(let name, _): ("target = ?", [name])
        case .notConfigured(let names): ("target NOT IN (\(names.map { _ in "?" }.joined(separator: ", ")))", names)
        }
    }

    private func fetchDue(_ db: Database) throws -> [Due] {
        let filter = targetFilter
        return try Row.fetchAll(
            db,
            cached: """
                SELECT id, rule_id, target, command, args, problem, correlation_id, attempts FROM delivery
                WHERE status = 'pending' AND next_attempt_at <= ? AND \(filter.sql) ORDER BY next_attempt_at, id LIMIT \(Self.window)
                """,
            arguments: StatementArguments([Timestamp.format(Timestamp())] + filter.arguments)
        ).map {
            Due(
                id: $0["id"], rule: $0["rule_id"], target: $0["target"], command: $0["command"], args: $0["args"], problem: $0["problem"],
                correlationID: $0["correlation_id"], attempts: $0["attempts"])
        }
    }

    /// When the lane's next retry falls due.
    private func fetchNextDue(_ db: Database) throws -> Timestamp? {
        let filter = targetFilter
        return try String.fetchOne(
            db, cached: "SELECT MIN(next_attempt_at) FROM delivery WHERE status = 'pending' AND \(filter.sql)",
            arguments: StatementArguments(filter.arguments)
        ).flatMap(Timestamp.parse)
    }

    /// Sends the due routes together and returns each one's outcome, by delivery id.
    private func deliver(_ due: [Due], connections: inout Connections) -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        var requests: [CommandRequest] = []
        for delivery in due {
            if let problem = delivery.problem {
                outcomes[delivery.id] = .dead("unroutable", problem)
            } else if case .notConfigured = target {
                outcomes[delivery.id] = .dead("unroutable", "\(delivery.target) is not configured")
            } else {
                let args = (try? JSONValue.parse(Array((delivery.args ?? "{}").utf8)))?.objectValue ?? [:]
                requests.append(CommandRequest(id: delivery.id, command: delivery.command, args: args, correlationid: delivery.correlationID))
            }
        }
        guard case .one(let name, let endpoint) = target, !requests.isEmpty else { return outcomes }
        var replies: [String: CommandReply] = [:]
        var failure = "no reply"
        do {
            let client = try connections.target ?? ControlClient(context: settings.context, service: name, endpoint: endpoint, timeout: settings.timeout)
            connections.target = client
            replies = try client.callAll(requests)
            if replies.count < requests.count {
                // A refused key or a wrong server key looks like a timeout here: the check says which.
                failure = "\(ControlClientError.timeout(service: name, endpoint: endpoint, after: settings.timeout).explained(context: settings.context))"
            }
        } catch {
            failure = "\(ControlClientError.explaining(error, context: settings.context))"
        }
        // A timeout or a socket error: the target may be down. A fresh socket next time, so that
        // nothing queued for the old connection is sent twice in a burst.
        if replies.count < requests.count { connections.target = nil }
        for request in requests {
            switch replies[request.id]?.outcome {
            case .success: outcomes[request.id] = Outcome(kind: "delivered", code: nil, message: nil)
            case .failure(let error) where error.code == .unavailable:
                outcomes[request.id] = Outcome(kind: "retry", code: error.code.rawValue, message: error.message)
            case .failure(let error): outcomes[request.id] = .dead(error.code.rawValue, error.message)
            case nil: outcomes[request.id] = Outcome(kind: "retry", code: "timeout", message: failure)
            }
        }
        return outcomes
    }

    /// Records every attempt through the coordinator's own control socket, all at once. A settlement
    /// that gets no answer leaves its delivery pending: it is sent again, and the target answers it
    /// from its stored reply.
    private func settle(_ due: [Due], _ outcomes: [String: Outcome], connections: inout Connections) {
        let requests = due.map { delivery in
            let outcome = outcomes[delivery.id]!
            var args: [String: JSONValue] = ["delivery_id": .string(delivery.id), "outcome": .string(outcome.kind)]
            if let code = outcome.code { args["code"] = .string(code) }
            if let message = outcome.message { args["message"] = .string(message) }
            // One request id per attempt: a settle sent twice (its reply lost) is recorded once.
            return CommandRequest(id: "settle/\(delivery.id)/\(delivery.attempts + 1)", command: "route.settle", args: args)
        }
        do {
            // One connection for every settlement: with CURVE on, a new one would cost a handshake each.
            let client = try connections.own
                ?? ControlClient(context: settings.context, service: Self.own, endpoint: settings.ownControl, timeout: settings.timeout)
            connections.own = client
            let replies = try client.callAll(requests)
            for request in requests {
                switch replies[request.id]?.outcome {
                case .success: continue
                case .failure(let error): warnSettle(request, "\(error)")
                case nil: warnSettle(request, "no reply within \(settings.timeout)")
                }
            }
            if replies.count < requests.count { connections.own = nil }
        } catch {
            connections.own = nil
            warnSettle(nil, "\(error)")
        }
    }

    private func warnSettle(_ request: CommandRequest?, _ error: String) {
        settings.logger.warning(
            "settling a delivery failed", metadata: ["delivery": "\(request?.args["delivery_id"]?.stringValue ?? "all of a pass")", "error": "\(error)"])
    }

    /// Says where an operator looks what went wrong: every dead letter as an error naming the rule,
    /// target and reason; a target that keeps timing out as a warning at most every ten seconds (with
    /// how many attempts failed meanwhile); a delivery that got through after failures.
    private func report(_ delivery: Due, _ outcome: Outcome, throttle: inout WarningThrottle) {
        let metadata: Logger.Metadata = [
            "rule": "\(delivery.rule)", "target": "\(delivery.target)", "command": "\(delivery.command)",
            "delivery": "\(delivery.id)", "attempt": "\(delivery.attempts + 1)",
        ]
        switch outcome.kind {
        case "dead":
            settings.logger.error(
                "route dead-lettered", metadata: metadata.merging(["code": "\(outcome.code ?? "-")", "reason": "\(outcome.message ?? "-")"]) { $1 })
        case "retry":
            if let failed = throttle.occurred() {
                settings.logger.warning(
                    "delivery failed; will retry",
                    metadata: metadata.merging(["code": "\(outcome.code ?? "-")", "reason": "\(outcome.message ?? "-")", "failures_since_last_warning": "\(failed)"]) { $1 })
            }
        default:
            if delivery.attempts > 0 { settings.logger.info("delivered after failed attempts", metadata: metadata) }
        }
        settings.logger.debug("delivery attempt", metadata: ["delivery": "\(delivery.id)", "outcome": "\(outcome.kind)", "code": "\(outcome.code ?? "-")"])
    }
}
