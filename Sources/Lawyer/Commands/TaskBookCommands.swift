import BanshiKit
import SQLite

/// Joint meetings and the task book (任务书、时间表、路线图): each resolution becomes a task with an item, a
/// responsible department, a deadline, milestones and a rectification measure, followed up until done.
enum TaskBookCommands {
    static func all(_ settings: LawyerSettings) -> [CommandSpec] {
        [meeting(settings), create(settings), milestone, completeMilestone, followUp, start, complete, drop]
    }

    /// One task as given: to `task.create`, or as a resolution of `meeting.record`.
    struct TaskInput {
        let item: String
        let department: String
        let deadline: CalendarDate
        let measure: String

        /// `within` names the task in errors: nil for `task.create`'s own arguments (each error names its
        /// argument), `resolutions[0]` and so on for a meeting's resolutions.
        init(_ value: [String: JSONValue], context: CommandContext, within: String?) throws(CommandError) {
            func name(_ key: String) -> String { within.map { "\($0).\(key)" } ?? key }
            func text(_ key: String) throws(CommandError) -> String {
                guard let text = value[key]?.stringValue?.trimmingWhitespace, !text.isEmpty else {
                    throw CommandError(.invalidArgument, "\(name(key)) is required text", field: within ?? key)
                }
                return text
            }
            let known: Set = ["item", "department", "deadline", "measure"]
            if let extra = value.keys.sorted().first(where: { !known.contains($0) }) {
                throw CommandError(.invalidArgument, "\(within ?? "task.create") has no field '\(extra)'", field: within ?? extra)
            }
            item = try text("item")
            department = try text("department")
            measure = try text("measure")
            let today = CalendarDate(context.now)
            let given = try text("deadline")
            guard let deadline = CalendarDate(given), deadline >= today, deadline <= today.adding(years: 10) else {
                throw CommandError(
                    .invalidArgument, "\(name("deadline")) is a day (YYYY-MM-DD) from today (\(today)) to ten years on, not '\(given)'",
                    field: within ?? "deadline")
            }
            self.deadline = deadline
        }

        /// Writes the task and announces it; returns its id. `createdOn`: the day it exists from (its
        /// meeting's day, or today), before which none of its steps may be dated.
        func insert(_ events: inout EventAppender, meeting: String?, createdOn: CalendarDate, settings: LawyerSettings) throws -> String {
            let id = OpaqueID.make("TK")
            try events.db.execute(
                cached: """
                    INSERT INTO task (id, meeting_id, item, department, deadline, measure, status, escalate_on, escalate_to, escalate_every_days, created_on)
                    VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)
                    """,
                arguments: [
                    id, meeting, item, department, deadline.description, measure, deadline.description, settings.escalateTo,
                    settings.escalationIntervalDays, createdOn.description,
                ])
            var data: [String: JSONValue] = ["task_id": .string(id), "deadline": .string(deadline.description)]
            if let meeting { data["meeting_id"] = .string(meeting) }
            try events.emit("lawyer.task.created", subject: "task/\(id)", data: .object(data))
            return id
        }
    }

    static func meeting(_ settings: LawyerSettings) -> CommandSpec {
        CommandSpec(
            "meeting.record", "record a joint meeting (justice bureau, detention centres, bar association); each resolution becomes a task",
            arguments: [
                ArgumentSpec("parties", .array, required: true, "who took part, e.g. [\"司法局\", \"看守所\", \"律师协会\"]"),
                ArgumentSpec("summary", .string, required: true, "what was discussed"), ArgumentSpec("held_on", .date, "the day (default: today)"),
                ArgumentSpec("resolutions", .array, required: true, "[{item, department, deadline, measure}], each a task"),
            ]
        ) { context, events in
            let arguments = context.arguments
            let parties = (arguments.values["parties"]?.arrayValue ?? []).compactMap(\.stringValue)
            guard !parties.isEmpty, parties.count == arguments.values["parties"]?.arrayValue?.count else {
                throw CommandError(.invalidArgument, "parties is a non-empty list of names", field: "parties")
            }
            let resolutions = try (arguments.values["resolutions"]?.arrayValue ?? []).enumerated().map { index, value throws(CommandError) in
                try TaskInput(value.objectValue ?? [:], context: context, within: "resolutions[\(index)]")
            }
            let day = try context.pastDay("held_on")
            let id = OpaqueID.make("JM")
            try events.db.execute(
                cached: "INSERT INTO meeting (id, held_on, parties, summary) VALUES (?, ?, ?, ?)",
                arguments: [id, day.description, parties.joined(separator: "、"), try arguments.text("summary")])
            try events.emit(
                "lawyer.meeting.held", subject: "meeting/\(id)",
                data: ["meeting_id": .string(id), "held_on": .string(day.description), "resolutions": .int(Int64(resolutions.count))])
            var tasks: [JSONValue] = []
            for resolution in resolutions { tasks.append(.string(try resolution.insert(&events, meeting: id, createdOn: day, settings: settings))) }
            return ["meeting_id": .string(id), "tasks": .array(tasks)]
        }
    }

    static func create(_ settings: LawyerSettings) -> CommandSpec {
        CommandSpec(
            "task.create", "put a task in the task book",
            arguments: [
                ArgumentSpec("item", .string, required: true, "what is to be done"), ArgumentSpec("department", .string, required: true, "who answers for it"),
                ArgumentSpec("deadline", .date, required: true, "the day it is due"), ArgumentSpec("measure", .string, required: true, "the rectification measure"),
            ]
        ) { context, events in
            let input = try TaskInput(context.arguments.values.filter { $0.key != "now" }, context: context, within: nil)
            return ["task_id": .string(try input.insert(&events, meeting: nil, createdOn: CalendarDate(context.now), settings: settings))]
        }
    }

    /// The task in `task_id`, which must be open or in progress, with the day it was created (nil for
    /// a task older than that column whose creation the log does not hold).
    static func openTask(_ db: Database, _ arguments: Arguments) throws -> (id: String, createdOn: CalendarDate?) {
        let task = try existingTask(db, arguments)
        guard task.status == "open" || task.status == "in-progress" else {
            throw CommandError(.conflict, "task \(task.id) is \(task.status)", field: "task_id")
        }
        return (task.id, task.createdOn)
    }

    /// The task in `task_id`: its status and the day it was created.
    static func existingTask(_ db: Database, _ arguments: Arguments) throws -> (id: String, status: String, createdOn: CalendarDate?) {
        let id = try arguments.string("task_id")
        guard let row = try Row.fetchOne(db, cached: "SELECT status, created_on FROM task WHERE id = ?", arguments: [id]) else {
            throw CommandError(.notFound, "no task '\(id)'", field: "task_id")
        }
        return (id, row[0], (row[1] as String?).flatMap(CalendarDate.init))
    }

    static let milestone = CommandSpec(
        "milestone.add", "add a milestone with its own due day to a task",
        arguments: [
            ArgumentSpec("task_id", .string, required: true, "the task"), ArgumentSpec("title", .string, required: true, "the milestone"),
            ArgumentSpec("due_on", .date, required: true, "its due day"),
        ]
    ) { context, events in
        let (task, _) = try openTask(events.db, context.arguments)
        let due = try Support.futureDay(context, "due_on")
        let id = OpaqueID.make("MS")
        try events.db.execute(
            cached: "INSERT INTO milestone (id, task_id, title, due_on, added_on) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, task, try context.arguments.text("title"), due.description, CalendarDate(context.now).description])
        try events.emit("lawyer.milestone.added", subject: "task/\(task)", data: ["milestone_id": .string(id), "task_id": .string(task), "due_on": .string(due.description)])
        return ["milestone_id": .string(id)]
    }

    static let completeMilestone = CommandSpec(
        "milestone.done", "record that a milestone was reached",
        arguments: [ArgumentSpec("milestone_id", .string, required: true, "the milestone"), ArgumentSpec("done_on", .date, "the day (default: today)")]
    ) { context, events in
        let id = try Support.existing(events.db, "milestone", context.arguments, field: "milestone_id", what: "milestone")
        guard let row = try Row.fetchOne(events.db, cached: "SELECT task_id, due_on, added_on FROM milestone WHERE id = ? AND done_on IS NULL", arguments: [id]) else {
            throw CommandError(.conflict, "milestone \(id) is done already", field: "milestone_id")
        }
        let day = try context.pastDay("done_on", notBefore: (row[2] as String?).flatMap(CalendarDate.init), "the milestone was added")
        try events.db.execute(cached: "UPDATE milestone SET done_on = ? WHERE id = ?", arguments: [day.description, id])
        let task: String = row[0]
        try events.emit(
            "lawyer.milestone.done", subject: "task/\(task)",
            data: ["milestone_id": .string(id), "task_id": .string(task), "on_time": .bool(day <= CalendarDate(row[1] as String)!)])
        return ["milestone_id": .string(id)]
    }

    static let followUp = CommandSpec(
        "task.follow-up", "note a follow-up on a task (盯住不放): what was checked and pressed",
        arguments: [
            ArgumentSpec("task_id", .string, required: true, "the task"), ArgumentSpec("note", .string, required: true, "what was done"),
            ArgumentSpec("noted_on", .date, "the day (default: today)"),
        ]
    ) { context, events in
        let (task, createdOn) = try openTask(events.db, context.arguments)
        let day = try context.pastDay("noted_on", notBefore: createdOn, "the task was created")
        try events.db.execute(cached: "INSERT INTO follow_up (task_id, note, noted_on) VALUES (?, ?, ?)", arguments: [task, try context.arguments.text("note"), day.description])
        try events.db.execute(cached: "UPDATE task SET last_follow_up = max(coalesce(last_follow_up, ''), ?) WHERE id = ?", arguments: [day.description, task])
        try events.emit("lawyer.task.followed-up", subject: "task/\(task)", data: ["task_id": .string(task), "noted_on": .string(day.description)])
        return ["task_id": .string(task)]
    }

    /// Moves a task to `status`; `reason` for a drop.
    static func move(_ context: CommandContext, _ events: inout EventAppender, to status: TaskStatus, from allowed: Set<String>) throws -> JSONValue {
        let (id, current, createdOn) = try existingTask(events.db, context.arguments)
        guard allowed.contains(current) else {
            throw CommandError(.conflict, "task \(id) is \(current); it cannot become \(status.rawValue)", details: ["field": "task_id", "status": .string(current)])
        }
        let reason = status == .dropped ? try context.arguments.text("reason") : nil
        let done = status == .done ? try context.pastDay("done_on", notBefore: createdOn, "the task was created").description : nil
        try events.db.execute(
            cached: "UPDATE task SET status = ?, drop_reason = coalesce(?, drop_reason), done_on = coalesce(?, done_on) WHERE id = ?",
            arguments: [status.rawValue, reason, done, id])
        try events.emit("lawyer.task.updated", subject: "task/\(id)", data: ["task_id": .string(id), "status": .string(status.rawValue)])
        return ["task_id": .string(id), "status": .string(status.rawValue)]
    }

    static let start = CommandSpec(
        "task.start", "mark an open task in progress", arguments: [ArgumentSpec("task_id", .string, required: true, "the task")]
    ) { context, events in try move(context, &events, to: .inProgress, from: ["open"]) }

    static let complete = CommandSpec(
        "task.done", "mark a task done",
        arguments: [ArgumentSpec("task_id", .string, required: true, "the task"), ArgumentSpec("done_on", .date, "the day (default: today)")]
    ) { context, events in try move(context, &events, to: .done, from: ["open", "in-progress"]) }

    static let drop = CommandSpec(
        "task.drop", "drop a task, with the reason",
        arguments: [ArgumentSpec("task_id", .string, required: true, "the task"), ArgumentSpec("reason", .string, required: true, "why it is dropped")]
    ) { context, events in try move(context, &events, to: .dropped, from: ["open", "in-progress"]) }
}
