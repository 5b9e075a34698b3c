import BanshiKit
import SQLite

/// Self-protection: schools for migrant workers' children and the legal education held in them.
enum SchoolCommands {
    static let all = [register, recordSession, coverage]

    static let register = CommandSpec(
        "school.register", "register a school",
        arguments: [
            ArgumentSpec("name", .string, required: true, "the school's name; stays in this service"),
            ArgumentSpec("district", .string, required: true, "its district"),
            ArgumentSpec("for_migrant_children", .boolean, "whether it is a school for migrant workers' children (default true)"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let id = OpaqueID.make("SC")
        let district = try arguments.text("district")
        let forMigrants = arguments.bool("for_migrant_children", default: true)
        try events.db.execute(
            cached: "INSERT INTO school (id, name, district, for_migrant_children, registered_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, try arguments.text("name"), district, forMigrants, Timestamp.format(context.now)])
        try events.emit(
            "children.school.registered", subject: "school/\(id)",
            data: ["school_id": .string(id), "district": .string(district), "for_migrant_children": .bool(forMigrants)])
        return ["school_id": .string(id)]
    }

    static let recordSession = CommandSpec(
        "legal-education.record", "record a legal-education session held at a school",
        arguments: [
            ArgumentSpec("school_id", .string, required: true, "the school"),
            ArgumentSpec("held_on", .date, required: true, "the day"),
            ArgumentSpec("topic", .string, required: true, "what it taught"),
            ArgumentSpec("attendees", .integer, required: true, "how many pupils attended"),
        ]
    ) { context, events in
        let arguments = context.arguments
        let school = try events.db.record("school", id: try arguments.string("school_id"), what: "school", field: "school_id")
        let held = try arguments.date("held_on")
        guard held <= CalendarDate(context.now) else {
            throw CommandError(.invalidArgument, "a session on \(held) has not been held yet", field: "held_on")
        }
        let attendees = try arguments.int("attendees", default: 0, in: 0...100_000)
        let id = OpaqueID.make("LE")
        let schoolID: String = school["id"]
        try events.db.execute(
            cached: "INSERT INTO legal_education_session (id, school_id, held_on, topic, attendees) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, schoolID, held.description, try arguments.text("topic"), attendees])
        try events.emit(
            "children.legal-education.held", subject: "school/\(schoolID)",
            data: ["session_id": .string(id), "school_id": .string(schoolID), "held_on": .string(held.description), "attendees": .int(attendees)])
        return ["session_id": .string(id)]
    }

    static let coverage = CommandSpec(
        "legal-education.coverage", "schools for migrant workers' children with and without legal education in a year",
        arguments: [ArgumentSpec("year", .integer, "the calendar year (default: the year of now)")]
    ) { context in
        let year = try context.arguments.int("year", default: Int64(CalendarDate(context.now).year), in: 2000...2100)
        return try await context.read { db in
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT s.id, s.name, s.district, COUNT(e.id) AS sessions, COALESCE(SUM(e.attendees), 0) AS attendees
                    FROM school s LEFT JOIN legal_education_session e
                      ON e.school_id = s.id AND e.held_on BETWEEN ? AND ?
                    WHERE s.for_migrant_children = 1
                    GROUP BY s.id ORDER BY s.district, s.name
                    """,
                arguments: ["\(year)-01-01", "\(year)-12-31"])
            let covered = rows.filter { ($0["sessions"] as Int64) > 0 }.count
            return [
                "year": .int(year), "schools": .int(Int64(rows.count)), "covered": .int(Int64(covered)),
                "coverage": rows.isEmpty ? .null : .double(Double(covered) / Double(rows.count)),
                "by_school": .array(rows.map { $0.jsonObject() }),
            ]
        }
    }
}
