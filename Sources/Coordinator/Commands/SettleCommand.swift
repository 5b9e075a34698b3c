import BanshiKit
import SQLite

/// `route.settle`: records one delivery attempt and what follows from it. Sent by the delivery worker.
enum SettleCommand {
    static func make(_ settings: CoordinatorSettings) -> CommandSpec {
        CommandSpec(
            "route.settle", "record a delivery attempt (sent by the coordinator's own delivery worker)",
            arguments: [
                ArgumentSpec("delivery_id", .string, required: true, "the delivery"),
                ArgumentSpec("outcome", .string, required: true, choices: ["delivered", "retry", "dead"], "what the attempt came to"),
                ArgumentSpec("code", .string, "the error code"),
                ArgumentSpec("message", .string, "the error message"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let db = events.db
            let row = try db.record("delivery", id: try arguments.string("delivery_id"), what: "delivery", field: "delivery_id")
            let status: String = row["status"]
            guard status == "pending" else { return ["delivery_id": .string(row["id"] as String), "status": .string(status), "unchanged": true] }
            let id: String = row["id"]
            let number = (row["attempts"] as Int64) + 1
            var outcome = try arguments.string("outcome")
            var message = arguments.optionalString("message")
            let code = arguments.optionalString("code")
            if outcome == "retry", number >= Int64(settings.maxAttempts) {
                outcome = "dead"
                message = "gave up after \(number) attempts: \(message ?? "no reply")"
            }
            let at = Timestamp.format(context.now)
            try db.execute(
                cached: "INSERT INTO delivery_attempt (delivery_id, number, at, outcome, code, message) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, number, at, outcome, code, message])
            var data: [String: JSONValue] = [
                "delivery_id": .string(id), "rule_id": .string(row["rule_id"] as String), "event_id": .string(row["event_id"] as String),
                "event_type": .string(row["event_type"] as String), "target": .string(row["target"] as String),
                "command": .string(row["command"] as String), "attempts": .int(number),
            ]
            let flow: String = row["correlation_id"]
            let cause: String = row["event_id"]
            switch outcome {
            case "delivered":
                try db.execute(
                    cached: "UPDATE delivery SET status = 'delivered', attempts = ?, settled_at = ?, last_error = NULL WHERE id = ?",
                    arguments: [number, at, id])
                try events.emit(
                    "coordinator.route.delivered", subject: "delivery/\(id)", data: .object(data), correlationid: flow, causationid: cause)
            case "retry":
                let next = context.now.addingTimeInterval(settings.backoff(afterAttempt: Int(number)).timeInterval)
                try db.execute(
                    cached: "UPDATE delivery SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                    arguments: [number, Timestamp.format(next), "\(code ?? "error"): \(message ?? "")", id])
                data["next_attempt_at"] = .string(Timestamp.format(next))
                return .object(data)
            default:
                try db.execute(
                    cached: "UPDATE delivery SET status = 'dead', attempts = ?, settled_at = ?, last_error = ? WHERE id = ?",
                    arguments: [number, at, "\(code ?? "error"): \(message ?? "")", id])
                data["code"] = .string(code ?? "error")
                data["message"] = .string(message ?? "")
                try events.emit(
                    "coordinator.route.failed", subject: "delivery/\(id)", data: .object(data), correlationid: flow, causationid: cause)
            }
            return .object(data)
        }
    }
}
