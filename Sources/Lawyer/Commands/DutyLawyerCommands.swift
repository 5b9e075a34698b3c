import BanshiKit
import SQLite

/// The duty-lawyer roster for free legal aid to child victims (coordinator rule 2): each request is
/// given the least-loaded available duty lawyer, idempotent by the routed request id.
enum DutyLawyerCommands {
    static let all = [assign, close, setAvailability]

    static let assign = CommandSpec(
        "duty-lawyer.assign",
        "assign the least-loaded available duty lawyer to a legal-aid request from another service (`unavailable` when none has capacity)",
        arguments: [
            ArgumentSpec("source_service", .string, required: true, "the service that asks (children)"),
            ArgumentSpec("source_ref", .string, required: true, "its request id"),
            ArgumentSpec("case_ref", .string, "its case id"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let source = try arguments.text("source_service")
        let reference = try arguments.text("source_ref")
        try ServiceReference.check(service: source, reference: reference, own: "lawyer", serviceField: "source_service", referenceField: "source_ref")
        if let caseRef = arguments.optionalString("case_ref"), !ServiceReference.isID(caseRef) {
            throw CommandError(.invalidArgument, "case_ref is an id of \(source), not free text", field: "case_ref")
        }
        if let existing = try Row.fetchOne(events.db, cached: "SELECT id, lawyer_id FROM duty_assignment WHERE source_service = ? AND source_ref = ?", arguments: [source, reference]) {
            throw CommandError(
                .conflict, "\(source) request \(reference) has duty lawyer \(existing[1] as String) already (assignment \(existing[0] as String))",
                details: ["field": "source_ref", "lawyer_id": .string(existing[1])])
        }
        // The least-loaded lawyer with room; ties go to the one who has waited longest for a case.
        guard let lawyer = try String.fetchOne(
            events.db,
            cached: """
                SELECT l.id FROM lawyer l
                LEFT JOIN duty_assignment a ON a.lawyer_id = l.id AND a.closed_at IS NULL
                WHERE l.duty = 1 AND l.available = 1
                GROUP BY l.id HAVING COUNT(a.id) < l.capacity
                ORDER BY COUNT(a.id), (SELECT max(assigned_at) FROM duty_assignment b WHERE b.lawyer_id = l.id) NULLS FIRST, l.registered_at, l.id
                LIMIT 1
                """)
        else {
            throw CommandError(.unavailable, "no duty lawyer is available with capacity left; add one or free capacity, then retry")
        }
        let id = OpaqueID.make("DA")
        let caseRef = arguments.optionalString("case_ref")
        try events.db.execute(
            cached: "INSERT INTO duty_assignment (id, lawyer_id, source_service, source_ref, case_ref, assigned_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, lawyer, source, reference, caseRef, Timestamp.format(context.now)])
        var data: [String: JSONValue] = [
            "assignment_id": .string(id), "lawyer_id": .string(lawyer), "source_service": .string(source), "source_ref": .string(reference),
        ]
        if let caseRef { data["case_ref"] = .string(caseRef) }
        try events.emit("lawyer.duty-lawyer.assigned", subject: "lawyer/\(lawyer)", data: .object(data))
        return ["assignment_id": .string(id), "lawyer_id": .string(lawyer)]
    }

    static let close = CommandSpec(
        "duty-assignment.close", "close a duty-lawyer assignment (the lawyer's capacity is freed)",
        arguments: [ArgumentSpec("assignment_id", .string, required: true, "the assignment")]
    ) { context, events in
        let id = try Support.existing(events.db, "duty_assignment", context.arguments, field: "assignment_id", what: "assignment")
        guard let lawyer = try String.fetchOne(events.db, cached: "SELECT lawyer_id FROM duty_assignment WHERE id = ? AND closed_at IS NULL", arguments: [id]) else {
            throw CommandError(.conflict, "assignment \(id) is closed already", field: "assignment_id")
        }
        try events.db.execute(cached: "UPDATE duty_assignment SET closed_at = ? WHERE id = ?", arguments: [Timestamp.format(context.now), id])
        try events.emit("lawyer.duty-assignment.closed", subject: "lawyer/\(lawyer)", data: ["assignment_id": .string(id), "lawyer_id": .string(lawyer)])
        return ["assignment_id": .string(id)]
    }

    static let setAvailability = CommandSpec(
        "duty-lawyer.set", "put a lawyer on or off the duty roster, or change their capacity or availability",
        arguments: [
            ArgumentSpec("lawyer_id", .string, required: true, "the lawyer"), ArgumentSpec("duty", .boolean, "on the roster"),
            ArgumentSpec("capacity", .integer, "open assignments at once, 1 to 100"), ArgumentSpec("available", .boolean, "available now"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let id = try Support.existing(events.db, "lawyer", arguments, field: "lawyer_id", what: "lawyer")
        let capacity = arguments.values["capacity"] == nil ? nil : try arguments.int("capacity", default: 3, in: 1...100)
        try events.db.execute(
            cached: "UPDATE lawyer SET duty = coalesce(?, duty), capacity = coalesce(?, capacity), available = coalesce(?, available) WHERE id = ?",
            arguments: [arguments.values["duty"]?.boolValue, capacity, arguments.values["available"]?.boolValue, id])
        let row = try Row.fetchOne(events.db, cached: "SELECT duty, capacity, available FROM lawyer WHERE id = ?", arguments: [id])!
        if (row[0] as Bool), (row[1] as Int64) == 0 { try events.db.execute(cached: "UPDATE lawyer SET capacity = 3 WHERE id = ?", arguments: [id]) }
        let capacityNow = try Int64.fetchOne(events.db, cached: "SELECT capacity FROM lawyer WHERE id = ?", arguments: [id])!
        try events.emit(
            "lawyer.duty-lawyer.updated", subject: "lawyer/\(id)",
            data: ["lawyer_id": .string(id), "duty": .bool(row[0]), "capacity": .int(capacityNow), "available": .bool(row[2])])
        return ["lawyer_id": .string(id), "duty": .bool(row[0]), "capacity": .int(capacityNow), "available": .bool(row[2])]
    }
}
