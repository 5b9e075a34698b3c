import BanshiKit
import SQLite

/// Scenario prevention: venue inspections, what they find, and the remedies with their follow-ups.
enum PreventionCommands {
    static func all(_ settings: ChildrenSettings) -> [CommandSpec] { [recordInspection, open, issueRemedy(settings), followUp] }

    /// Records an inspection and its findings; `origin` is the service and reference that opened it.
    static func inspect(
        venue: String, type: VenueType, at time: Timestamp, findings: [FindingKind], origin: (service: String, ref: String)?,
        events: inout EventAppender
    ) throws -> JSONValue {
        let id = OpaqueID.make("IN")
        try events.db.execute(
            cached: "INSERT INTO inspection (id, venue_name, venue_type, inspected_at, origin_service, origin_ref) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, venue, type.rawValue, Timestamp.format(time), origin?.service, origin?.ref])
        var data: [String: JSONValue] = ["inspection_id": .string(id), "venue_type": .string(type.rawValue)]
        if let origin {
            data["origin_service"] = .string(origin.service)
            data["origin_ref"] = .string(origin.ref)
        }
        try events.emit("children.inspection.recorded", subject: "inspection/\(id)", data: .object(data))
        var findingIDs: [JSONValue] = []
        for kind in findings {
            let findingID = OpaqueID.make("FD")
            try events.db.execute(
                cached: "INSERT INTO finding (id, inspection_id, kind) VALUES (?, ?, ?)", arguments: [findingID, id, kind.rawValue])
            try events.emit(
                "children.finding.recorded", subject: "finding/\(findingID)",
                data: ["finding_id": .string(findingID), "inspection_id": .string(id), "kind": .string(kind.rawValue)])
            findingIDs.append(.string(findingID))
        }
        return ["inspection_id": .string(id), "finding_ids": .array(findingIDs)]
    }

    static let recordInspection = CommandSpec(
        "inspection.record", "record a venue inspection and what it found",
        arguments: [
            ArgumentSpec("venue_name", .string, required: true, "the venue"),
            ArgumentSpec("venue_type", .string, required: true, choices: VenueType.names, "the kind of venue"),
            ArgumentSpec("inspected_at", .time, "when (default: now)"),
            ArgumentSpec("findings", .array, "what was found: \(FindingKind.names.joined(separator: ", "))"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let findings = try (arguments.values["findings"]?.arrayValue ?? []).enumerated().map { index, value throws(CommandError) in
            guard let kind = value.stringValue.flatMap(FindingKind.init(rawValue:)) else {
                throw CommandError(
                    .invalidArgument, "findings[\(index)] must be one of \(FindingKind.names.joined(separator: ", "))", field: "findings")
            }
            return kind
        }
        return try inspect(
            venue: try arguments.text("venue_name"), type: try arguments.choice("venue_type"),
            at: arguments.optionalTime("inspected_at") ?? context.now, findings: findings, origin: nil, events: &events)
    }

    static let open = CommandSpec(
        "prevention.open", "open a prevention item on another service's behalf (e.g. an unsafe food sample where minors eat)",
        arguments: [
            ArgumentSpec("origin_service", .string, required: true, "the service that found the problem"),
            ArgumentSpec("origin_ref", .string, required: true, "its reference (one item per reference)"),
            ArgumentSpec("venue_name", .string, required: true, "the venue"),
            ArgumentSpec("venue_type", .string, required: true, choices: VenueType.names, "the kind of venue"),
            ArgumentSpec("finding", .string, required: true, choices: FindingKind.names, "what was found"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let origin = (service: try arguments.text("origin_service"), ref: try arguments.text("origin_ref"))
        try ServiceReference.check(service: origin.service, reference: origin.ref, own: "children", serviceField: "origin_service", referenceField: "origin_ref")
        if let existing = try String.fetchOne(
            events.db, cached: "SELECT id FROM inspection WHERE origin_service = ? AND origin_ref = ?", arguments: [origin.service, origin.ref])
        {
            throw CommandError(
                .conflict, "\(origin.service) \(origin.ref) already opened inspection \(existing)", details: ["inspection_id": .string(existing)])
        }
        return try inspect(
            venue: try arguments.text("venue_name"), type: try arguments.choice("venue_type"), at: context.now,
            findings: [try arguments.choice("finding")], origin: origin, events: &events)
    }

    static func issueRemedy(_ settings: ChildrenSettings) -> CommandSpec {
        CommandSpec(
            "remedy.issue", "issue a remedy for a finding, with a follow-up deadline",
            arguments: [
                ArgumentSpec("finding_id", .string, required: true, "the finding"),
                ArgumentSpec("kind", .string, required: true, choices: RemedyKind.names, "the remedy"),
                ArgumentSpec("follow_up_due", .time, "when the follow-up falls due (default: the day after the reply period)"),
                ArgumentSpec("urgent", .boolean, "an urgent suggestion: 15 days instead of two months"),
            ]
        ) { context, events in
            let finding = try events.db.record("finding", id: try context.arguments.string("finding_id"), what: "finding", field: "finding_id")
            let kind: RemedyKind = try context.arguments.choice("kind")
            // Late from the start of the day after the reply period: remedy_follow_up_months calendar months
            // (remedy_urgent_days when urgent) from the day of issue.
            let due = context.arguments.optionalTime("follow_up_due")
                ?? SuggestionDeadline.due(
                    issuedOn: CalendarDate(context.now), urgent: context.arguments.bool("urgent", default: false),
                    months: settings.remedyFollowUpMonths, urgentDays: settings.remedyUrgentDays
                ).adding(days: 1).start
            guard due > context.now else {
                throw CommandError(.invalidArgument, "the follow-up must fall due after now", field: "follow_up_due")
            }
            let id = OpaqueID.make("RM")
            let findingID: String = finding["id"]
            try events.db.execute(
                cached: "INSERT INTO remedy (id, finding_id, kind, issued_at, follow_up_due) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, findingID, kind.rawValue, Timestamp.format(context.now), Timestamp.format(due)])
            let data: JSONValue = [
                "remedy_id": .string(id), "finding_id": .string(findingID), "kind": .string(kind.rawValue),
                "follow_up_due": .string(Timestamp.format(due)),
            ]
            try events.emit("children.remedy.issued", subject: "remedy/\(id)", data: data)
            return data
        }
    }

    static let followUp = CommandSpec(
        "remedy.follow-up", "record a remedy's follow-up: rectified or not",
        arguments: [
            ArgumentSpec("remedy_id", .string, required: true, "the remedy"),
            ArgumentSpec("result", .string, required: true, choices: RemedyResult.names, "what the follow-up found"),
        ]
    ) { context, events in
        let remedy = try events.db.record("remedy", id: try context.arguments.string("remedy_id"), what: "remedy", field: "remedy_id")
        if let result: String = remedy["result"] {
            throw CommandError(.conflict, "the remedy was already followed up: \(result)")
        }
        let id: String = remedy["id"]
        let result = try context.arguments.string("result")
        let onTime = Timestamp.parse(remedy["follow_up_due"]).map { context.now <= $0 } ?? true
        try events.db.execute(
            cached: "UPDATE remedy SET result = ?, followed_up_at = ? WHERE id = ?", arguments: [result, Timestamp.format(context.now), id])
        let data: JSONValue = ["remedy_id": .string(id), "result": .string(result), "on_time": .bool(onTime)]
        try events.emit("children.remedy.followed-up", subject: "remedy/\(id)", data: data)
        return data
    }
}
