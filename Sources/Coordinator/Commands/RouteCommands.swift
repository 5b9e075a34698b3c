import BanshiKit
import SQLite

/// The admin's view of the routes: rules, their statistics, switches, reload, and the dead letters.
enum RouteCommands {
    static func all(_ state: RouteState) -> [CommandSpec] {
        [reload(state), list(state), stats(state), switchRule(state, on: false), switchRule(state, on: true), deliveries, dlqList, dlqRetry(state)]
    }

    static func reload(_ state: RouteState) -> CommandSpec {
        CommandSpec("rules.reload", "read the rule file again; a bad file is refused with the rule and field, and the old rules stay") { context, events in
            let book: RouteBook
            do throws(RuleFileError) {
                book = try state.reload()
            } catch {
                context.logger.warning("rule reload refused; the rules in force stay", metadata: ["reason": "\(error.commandError.message)"])
                throw error.commandError
            }
            try events.emit("coordinator.rules.reloaded", subject: "rules", data: ["rules": .int(Int64(book.rules.count)), "file": .string(book.file)])
            return ["file": .string(book.file), "rules": .array(book.rules.map { .string($0.id) })]
        }
    }

    static func list(_ state: RouteState) -> CommandSpec {
        CommandSpec("routes.list", "the rules in force, with their switches") { context in
            let book = state.current
            let switches = try await context.read { try RouteDecision.switches($0) }
            return [
                "file": .string(book.file),
                "routes": .array(book.rules.map { rule in
                    [
                        "id": .string(rule.id), "topic": .string(rule.topic.description), "target": .string(rule.target),
                        "command": .string(rule.command), "enabled": .bool(RouteDecision.isEnabled(rule, switches)),
                        "enabled_in_file": .bool(rule.enabled), "conditional": .bool(rule.condition != nil),
                        "arguments": .array(rule.arguments.keys.sorted().map { .string($0) }),
                    ]
                }),
            ]
        }
    }

    static func stats(_ state: RouteState) -> CommandSpec {
        CommandSpec("routes.stats", "per rule: routes pending, delivered and dead, attempts, the last delivery") { context in
            let rows = try await context.read { db in
                try Row.fetchAll(
                    db,
                    cached: """
                        SELECT rule_id, SUM(status = 'pending') AS pending, SUM(status = 'delivered') AS delivered,
                               SUM(status = 'dead') AS dead, SUM(attempts) AS attempts,
                               MAX(CASE WHEN status = 'delivered' THEN settled_at END) AS last_delivered_at
                        FROM delivery GROUP BY rule_id
                        """
                ).map { ($0["rule_id"] as String, $0.jsonObject()) }
            }
            var byRule = Dictionary(uniqueKeysWithValues: rows)
            for rule in state.current.rules where byRule[rule.id] == nil {
                byRule[rule.id] = ["rule_id": .string(rule.id), "pending": 0, "delivered": 0, "dead": 0, "attempts": 0, "last_delivered_at": .null]
            }
            return ["routes": .array(byRule.keys.sorted().map { byRule[$0]! })]
        }
    }

    static func switchRule(_ state: RouteState, on: Bool) -> CommandSpec {
        CommandSpec(
            on ? "routes.enable" : "routes.disable",
            on ? "switch a rule on (overrides the file until switched again)" : "switch a rule off: events it would route are not routed",
            arguments: [ArgumentSpec("rule_id", .string, required: true, "the rule")]
        ) { context, events in
            let id = try context.arguments.string("rule_id")
            guard state.current.rule(id) != nil else { throw CommandError(.notFound, "no rule '\(id)' in \(state.current.file)", field: "rule_id") }
            try events.db.execute(
                cached: """
                    INSERT INTO rule_switch (rule_id, enabled, changed_at) VALUES (?, ?, ?)
                    ON CONFLICT (rule_id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at
                    """,
                arguments: [id, on, Timestamp.format(context.now)])
            try events.emit("coordinator.rule.switched", subject: "rule/\(id)", data: ["rule_id": .string(id), "enabled": .bool(on)])
            return ["rule_id": .string(id), "enabled": .bool(on)]
        }
    }

    /// A delivery as it goes on the wire: the routing decision (rule, event, target, command and its
    /// arguments, an object) and where it stands.
    static let delivery = RecordView("delivery", [
        .init("id", title: "DELIVERY"), .init("status"), .init("target"), .init("command"), .init("attempts", .integer),
        .init("decided_at", title: "DECIDED"), .init("settled_at", title: "SETTLED"), .init("last_error", title: "LAST ERROR"),
        .init("rule_id", title: "RULE"), .init("event_type", title: "EVENT"), .init("source"), .init("seq", .integer),
        .init("correlation_id", title: "FLOW"), .init("args", .json),
    ])

    /// `banshictl records coordinator delivery.list` shows it as a table.
    static let deliveries = Listing(
        "delivery.list", "routing decisions and where their deliveries stand, newest first", member: "deliveries", view: delivery,
        filters: [
            .init("rule_id", "only this rule's"), .init("status", choices: ["pending", "delivered", "dead"], "only in this status"),
            .init("correlation_id", "only this flow's"),
        ],
        order: "decided_at DESC, id"
    ).spec

    static let dlqList = CommandSpec(
        "dlq.list", "the dead-letter list: routes that failed for good, with their last error",
        arguments: [PageLimit.records.argument]
    ) { context in
        let limit = try PageLimit.records.value(context.arguments)
        return [
            "dead": try await context.rows(
                """
                SELECT id, rule_id, event_type, target, command, attempts, last_error, settled_at FROM delivery
                WHERE status = 'dead' ORDER BY settled_at DESC, id LIMIT ?
                """,
                [limit])
        ]
    }

    static func dlqRetry(_ state: RouteState) -> CommandSpec {
        CommandSpec(
            "dlq.retry", "put a dead-lettered route back for delivery; its arguments are built again from the event with the current rule",
            arguments: [ArgumentSpec("delivery_id", .string, required: true, "the delivery")]
        ) { context, events in
            try requeue(try context.arguments.string("delivery_id"), state: state, events: &events, now: context.now)
        }
    }

    /// Puts a dead delivery back, rebuilt with the current rule.
    static func requeue(_ deliveryID: String, state: RouteState, events: inout EventAppender, now: Timestamp) throws -> JSONValue {
        let row = try events.db.record("delivery", id: deliveryID, what: "delivery", field: "delivery_id")
        let status: String = row["status"]
        guard status == "dead" else { throw CommandError(.conflict, "the delivery is \(status), not dead") }
        let id: String = row["id"]
        let ruleID: String = row["rule_id"]
        guard let rule = state.current.rule(ruleID) else {
            throw CommandError(.conflict, "rule '\(ruleID)' is no longer in \(state.current.file); the route cannot be rebuilt")
        }
        let event = try EventEnvelope.decode(Array((row["event"] as String).utf8))
        let args: String
        do throws(ArgumentTemplate.Missing) {
            args = JSONValue.object(try rule.arguments(for: event)).serialized()
        } catch {
            throw CommandError(.conflict, "the event has no \(error.path), which rule '\(ruleID)' needs")
        }
        try events.db.execute(
            cached: """
                UPDATE delivery SET status = 'pending', problem = NULL, args = ?, target = ?, command = ?, next_attempt_at = ?,
                       settled_at = NULL WHERE id = ?
                """,
            arguments: [args, rule.target, rule.command, Timestamp.format(now), id])
        try events.emit(
            "coordinator.route.requeued", subject: "delivery/\(id)", data: ["delivery_id": .string(id), "rule_id": .string(ruleID)],
            correlationid: row["correlation_id"] as String, causationid: row["event_id"] as String)
        return ["delivery_id": .string(id), "status": "pending"]
    }
}
