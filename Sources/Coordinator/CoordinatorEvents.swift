import BanshiKit

/// The coordinator's own events: what became of each routed command, and changes to its rules.
/// `correlationid` is the flow of the event that was routed, `causationid` that event's id.
public enum CoordinatorEvents {
    static let delivery = [
        FieldSpec("delivery_id", .string, "<rule id>/<event id>: also the command's request id at the target"),
        FieldSpec("rule_id", .string, "the rule that fired"),
        FieldSpec("event_id", .string, "the event routed"),
        FieldSpec("event_type", .string, "its type"),
        FieldSpec("target", .string, "the service the command went to"),
        FieldSpec("command", .string, "the command"),
        FieldSpec("attempts", .integer, "attempts so far, this one included"),
    ]

    public static let catalog = EventCatalog(service: "coordinator", events: [
        EventSpec("coordinator.route.delivered", "A routed command was applied by its target.", subject: "delivery/{delivery_id}", fields: delivery),
        EventSpec(
            "coordinator.route.failed", "A routed command failed for good and went to the dead-letter list.", subject: "delivery/{delivery_id}",
            fields: delivery + [
                FieldSpec("code", .string, "the target's error code, or unroutable / timeout"),
                FieldSpec("message", .string, "what went wrong"),
            ]),
        EventSpec(
            "coordinator.route.requeued", "A dead-lettered route was put back for delivery.", subject: "delivery/{delivery_id}",
            fields: [FieldSpec("delivery_id", .string, "the delivery"), FieldSpec("rule_id", .string, "its rule")]),
        EventSpec(
            "coordinator.rules.reloaded", "The rule file was read again and its rules are in force.", subject: "rules",
            fields: [FieldSpec("rules", .integer, "how many rules"), FieldSpec("file", .string, "the file")]),
        EventSpec(
            "coordinator.rule.switched", "A rule was switched on or off from banshictl.", subject: "rule/{rule_id}",
            fields: [FieldSpec("rule_id", .string, "the rule"), FieldSpec("enabled", .boolean, "on or off")]),
    ])
}
