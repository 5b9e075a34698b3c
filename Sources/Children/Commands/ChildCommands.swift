import BanshiKit
import SQLite

/// Registering children and reading their records. The record holds the personal data; the event
/// announces the opaque id only.
enum ChildCommands {
    static let all = [register, get, list, timeline]

    static let register = CommandSpec(
        "child.register", "register a child; the personal data stays in this service",
        arguments: [
            ArgumentSpec("name", .string, required: true, "the child's name"),
            ArgumentSpec("birth_date", .date, required: true, "YYYY-MM-DD"),
            ArgumentSpec("household_province", .string, required: true, "province of household registration (户籍)"),
            ArgumentSpec("migrant_status", .string, required: true, choices: MigrantStatus.names, "relation to migration"),
            ArgumentSpec("id_number", .string, "resident identity number; its check character and birth date are verified"),
            ArgumentSpec("address", .string, "where the child lives"),
            ArgumentSpec("school_id", .string, "the child's school (see school.register)"),
            ArgumentSpec("guardians", .array, "[{name, relation, phone}], relation one of \(GuardianRelation.names.joined(separator: ", "))"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let birthDate = try arguments.date("birth_date")
        guard birthDate <= CalendarDate(context.now) else {
            throw CommandError(.invalidArgument, "the birth date \(birthDate) is in the future", field: "birth_date")
        }
        var idNumber: IdentityNumber?
        if let text = arguments.optionalString("id_number") {
            let number = try IdentityNumber(text, field: "id_number")
            guard number.birthDate == birthDate else {
                throw CommandError(
                    .invalidArgument, "the identity number gives birth date \(number.birthDate), not \(birthDate)", field: "id_number")
            }
            idNumber = number
        }
        let guardians = try (arguments.values["guardians"]?.arrayValue ?? []).enumerated().map(Guardian.init)
        let db = events.db
        if let idNumber, try Row.fetchOne(db, cached: "SELECT id FROM child WHERE id_number = ?", arguments: [idNumber.text]) != nil {
            throw CommandError(.conflict, "a child with this identity number is already registered", field: "id_number")
        }
        if let school = arguments.optionalString("school_id") {
            try db.requireRecord("school", id: school, what: "school", field: "school_id")
        }
        let id = OpaqueID.make("CH")
        // Bound through SQLite's C API, as the kit's own per-command rows are: a registration is the
        // children service's most frequent write.
        try db.executeBound(
            """
            INSERT INTO child (id, name, birth_date, id_number, household_province, migrant_status, school_id, address, registered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(id), .text(try arguments.text("name")), .text(birthDate.description), .optional(idNumber?.text),
                .text(try arguments.text("household_province")), .text(try arguments.string("migrant_status")),
                .optional(arguments.optionalString("school_id")), .optional(arguments.optionalString("address")),
                .text(Timestamp.format(context.now)),
            ])
        for guardian in guardians {
            try db.execute(
                cached: "INSERT INTO guardian (child_id, name, relation, phone) VALUES (?, ?, ?, ?)",
                arguments: [id, guardian.name, guardian.relation.rawValue, guardian.phone])
        }
        try events.emit(
            "children.child.registered", subject: "child/\(id)",
            data: ["child_id": .string(id), "migrant_status": .string(try arguments.string("migrant_status"))])
        return ["child_id": .string(id)]
    }

    /// One guardian as given to `child.register`.
    struct Guardian {
        let name: String
        let relation: GuardianRelation
        let phone: String?

        init(index: Int, value: JSONValue) throws(CommandError) {
            let field = "guardians[\(index)]"
            guard let name = value["name"]?.stringValue, !name.isEmpty else {
                throw CommandError(.invalidArgument, "\(field).name is required", field: field)
            }
            guard let relation = value["relation"]?.stringValue.flatMap(GuardianRelation.init(rawValue:)) else {
                throw CommandError(
                    .invalidArgument, "\(field).relation must be one of \(GuardianRelation.names.joined(separator: ", "))", field: field)
            }
            let known: Set = ["name", "relation", "phone"]
            if let extra = value.objectValue?.keys.first(where: { !known.contains($0) }) {
                throw CommandError(.invalidArgument, "\(field) has no field '\(extra)'", field: field)
            }
            self.name = name
            self.relation = relation
            self.phone = value["phone"]?.stringValue
        }
    }

    static let get = CommandSpec(
        "child.get", "a child's whole record: personal data, guardians and cases",
        arguments: [ArgumentSpec("child_id", .string, required: true, "the child's id")]
    ) { context in
        let id = try context.arguments.string("child_id")
        return try await context.read { db in
            guard case .object(var record) = try ChildrenViews.child.one(db, id: id, what: "child", field: "child_id") else { return .null }
            record["guardians"] = try ChildrenViews.guardian.all(db, where: "child_id = ?", [id], order: "id")
            record["offender_cases"] = try ChildrenViews.offenderCase.all(db, where: "child_id = ?", [id], order: "registered_at, id")
            record["victim_cases"] = try ChildrenViews.victimCase.all(db, where: "child_id = ?", [id], order: "registered_at, id")
            record["guardianship_measures"] = try ChildrenViews.guardianshipMeasure.all(db, where: "child_id = ?", [id], order: "issued_at, id")
            return .object(record)
        }
    }.confidential()

    static let list = Listing(
        "child.list", "children, filtered, oldest registration first", member: "children", view: ChildrenViews.childRow,
        filters: [
            .init("migrant_status", choices: MigrantStatus.names, "only children with this status"),
            .init("school_id", "only children of this school"),
        ],
        order: "registered_at, id"
    ).spec.confidential()

    static let timeline = CommandSpec(
        "child.timeline", "everything that happened to one child, in order: the child's events from the log",
        arguments: [ArgumentSpec("child_id", .string, required: true, "the child's id")]
    ) { context in
        let id = try context.arguments.string("child_id")
        return try await context.read { db in
            try Lookup.requireChild(db, id)
            let entries = try EventTimeline.events(db, key: id)
            return ["child_id": .string(id), "events": .array(entries)]
        }
    }
}
