import SQLite
import Logging

/// What a command handler is given: its checked arguments, the time it runs at, and the service.
public struct CommandContext: Sendable {
    public let request: CommandRequest
    public let arguments: Arguments
    /// "Now" for deadline logic: the request's `now` argument when given, else the clock.
    public let now: Timestamp
    public let logger: Logger
    /// The service's database, for read commands (`read`); write commands get theirs in the appender.
    let database: ServiceDatabase?
    /// Who sent the command.
    public let caller: Caller

    /// Runs `body` on a read-only snapshot of the service's database.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        guard let database else { throw CommandError(.internal, "this service keeps no database") }
        return try await database.writer.read(body)
    }

    /// The rows of a query, as JSON objects (`booleans` names the 0/1 columns): what a listing returns.
    public func rows(_ sql: String, _ arguments: StatementArguments = [], booleans: Set<String> = []) async throws -> JSONValue {
        try await read { db in try db.jsonRows(sql, arguments, booleans: booleans) }
    }
}

/// One command a service answers.
///
/// A command either reads (`read`: runs outside any transaction, may be async) or writes (`write`: runs
/// inside the service's write transaction, where it changes state and appends events together, so that
/// both commit or neither does). A write's body may run twice before its one commit (its group runs
/// again when another command of the group fails: `GroupTransaction`), so it changes nothing outside
/// its transaction.
public struct CommandSpec: Sendable {
    public enum Body: Sendable {
        case read(@Sendable (CommandContext) async throws -> JSONValue)
        case write(@Sendable (CommandContext, inout EventAppender) throws -> JSONValue)
        /// A write with slow work that needs no transaction (hashing a large file): `prepare` runs
        /// first, outside any transaction and beside the running stage, so that other commands are
        /// not held up (the write is answered when it is done, after commands sent behind it); its
        /// result is handed to `write`, which runs inside a later group's transaction. Only a caller
        /// allowed to run the command prepares.
        case preparedWrite(
            prepare: @Sendable (CommandContext) async throws -> JSONValue,
            write: @Sendable (CommandContext, JSONValue, inout EventAppender) throws -> JSONValue)
    }

    public let name: String
    public let summary: String
    public let arguments: [ArgumentSpec]
    public let body: Body
    /// A long read (a report over the whole history, a copy of the database) runs beside the running
    /// stage instead of in it, so that the commands sent behind it are answered meanwhile (`status`
    /// among them). Such reads run one at a time, in arrival order, each on a snapshot taken after
    /// every write sent before it was committed: a long read may also see a write sent after it.
    public private(set) var runsAside = false

    public init(_ name: String, _ summary: String, arguments: [ArgumentSpec] = [], body: Body) {
        self.name = name
        self.summary = summary
        // Every command accepts an explicit "now" so that time-dependent behaviour is testable.
        let hasNow = arguments.contains { $0.name == "now" }
        self.arguments = hasNow ? arguments : arguments + [ArgumentSpec("now", .time, "the time to act at (default: the clock)")]
        self.body = body
    }

    /// A read-only command.
    public init(
        _ name: String, _ summary: String, arguments: [ArgumentSpec] = [],
        read: @escaping @Sendable (CommandContext) async throws -> JSONValue
    ) {
        self.init(name, summary, arguments: arguments, body: .read(read))
    }

    /// A state-changing command whose slow part (`prepare`) runs before, and outside, its transaction.
    public init(
        _ name: String, _ summary: String, arguments: [ArgumentSpec] = [],
        prepare: @escaping @Sendable (CommandContext) async throws -> JSONValue,
        write: @escaping @Sendable (CommandContext, JSONValue, inout EventAppender) throws -> JSONValue
    ) {
        self.init(name, summary, arguments: arguments, body: .preparedWrite(prepare: prepare, write: write))
    }

    /// A state-changing command, run inside the service's write transaction.
    public init(
        _ name: String, _ summary: String, arguments: [ArgumentSpec] = [],
        write: @escaping @Sendable (CommandContext, inout EventAppender) throws -> JSONValue
    ) {
        self.init(name, summary, arguments: arguments, body: .write(write))
    }

    /// Whether the command changes state (and so is idempotent by request id and audited).
    public var mutates: Bool {
        switch body {
        case .read: false
        case .write, .preparedWrite: true
        }
    }

    /// Whether the command returns personal data (a child's name, a petitioner's contact): then only
    /// `admin` keys may run it, not `operator` ones, though it changes nothing.
    public private(set) var confidential = false

    /// For a listing (`Listing`): the reply member that holds its rows. `help` says so, and banshictl
    /// renders any listing as a table under the columns its reply names.
    public private(set) var listingMember: String?

    /// This command, marked as a listing whose rows are in `member`.
    public func listing(_ member: String) -> CommandSpec {
        var copy = self
        copy.listingMember = member
        return copy
    }

    /// This command, marked as returning personal data.
    public func confidential(_ flag: Bool = true) -> CommandSpec {
        var copy = self
        copy.confidential = flag
        return copy
    }

    /// This read, run beside the running stage (`runsAside`).
    public func runningAside() -> CommandSpec {
        precondition(!mutates, "only a read runs aside; a write's slow part is its `prepare`")
        var copy = self
        copy.runsAside = true
        return copy
    }

    /// Checks `args` against the specs: required present, types right, nothing unknown.
    ///
    /// This runs on every request, so no dictionary of the specs is built for it (a command has a
    /// handful of arguments, compared by name), and the arguments are copied only when a `null` is
    /// to be left out.
    func check(_ args: [String: JSONValue]) throws(CommandError) -> Arguments {
        if let unknown = args.firstUnknownKey({ name in arguments.contains { $0.name == name } }) {
            throw CommandError(.invalidArgument, "command '\(self.name)' has no argument '\(unknown)'", field: unknown)
        }
        var present = 0
        for spec in arguments {
            guard let value = args[spec.name], value != .null else {
                if spec.required { throw missing(args) }
                continue
            }
            present += 1
            try spec.check(value)
        }
        return Arguments(present == args.count ? args : args.filter { $0.value != .null })
    }

    /// Every required argument `args` lacks, named in one message (a caller filling them in one at a
    /// time met them one at a time); `field` is the first, in the command's order.
    private func missing(_ args: [String: JSONValue]) -> CommandError {
        let names = arguments.filter { $0.required && (args[$0.name] ?? .null) == .null }.map(\.name)
        let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
        return CommandError(
            .invalidArgument, names.count == 1 ? "argument \(quoted) is required" : "arguments \(quoted) are required", field: names[0])
    }

    var helpValue: JSONValue {
        var value: [String: JSONValue] = [
            "name": .string(name), "summary": .string(summary), "mutates": .bool(mutates), "confidential": .bool(confidential),
            "arguments": .array(arguments.map(\.helpValue)),
        ]
        if let listingMember { value["listing"] = .string(listingMember) }
        return .object(value)
    }
}

extension CommandContext {
    /// A day argument that says when something happened: today when absent, never in the future, not
    /// before 2000 (a typo, not a record). The error names the argument and the bounds.
    public func pastDay(_ name: String) throws(CommandError) -> CalendarDate {
        try CalendarDate.past(arguments.optionalString(name), now: now, field: name)
    }

    /// The same, and not before `earliest`: the day of the step it follows, which `step` names in the
    /// refusal ("issued_on 2026-09-01 is before the case was opened (2026-12-02)"). No bound when
    /// `earliest` is nil (the record has no such day).
    public func pastDay(_ name: String, notBefore earliest: CalendarDate?, _ step: String) throws(CommandError) -> CalendarDate {
        let day = try pastDay(name)
        if let earliest, day < earliest {
            throw CommandError(.invalidArgument, "\(name) \(day) is before \(step) (\(earliest))", field: name)
        }
        return day
    }

    /// How far back a time that belongs to the domain may lie (`pastTime`).
    public static let domainTimeMaxAge: Double = 366 * 86_400

    /// A time argument that belongs to the domain (a petition that came by post last week, a mandatory
    /// report's receipt): `now` when absent, never after `now`, at most a year and a day back (older is
    /// a typo, not a record), and not before `notBefore` (say, when the thing it answers came in). The
    /// error names the argument and the bounds. The service records its own time beside it.
    public func pastTime(_ name: String, notBefore earliest: Timestamp? = nil) throws(CommandError) -> Timestamp {
        guard let text = arguments.optionalString(name) else { return now }
        let floor = max(earliest ?? .distantPast, now.addingTimeInterval(-Self.domainTimeMaxAge))
        guard let time = Timestamp.parse(text), time <= now, time >= floor else {
            throw CommandError(
                .invalidArgument,
                "\(name) is a time from \(Timestamp.format(floor)) to now (\(Timestamp.format(now))), not '\(text)'", field: name)
        }
        return time
    }
}

extension CalendarDate {
    /// The day in `text` (today when `nil`), checked to lie from 2000 to today, or `invalid_argument`
    /// naming `field`.
    public static func past(_ text: String?, now: Timestamp, field: String) throws(CommandError) -> CalendarDate {
        let today = CalendarDate(now)
        guard let text else { return today }
        guard let day = CalendarDate(text), day <= today, day.year >= 2000 else {
            throw CommandError(.invalidArgument, "\(field) is a day from 2000-01-01 to today (\(today)), not '\(text)'", field: field)
        }
        return day
    }
}
