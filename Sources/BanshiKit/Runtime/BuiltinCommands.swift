import SQLite

/// `status`, `help` and `events.since`: the commands every service answers, implemented once.
enum BuiltinCommands {
    /// What `status` reports about the process as a whole.
    struct ProcessFacts: Sendable {
        let service: String
        let control: String
        let startedAt: Timestamp
        let startedInstant: ContinuousClock.Instant
    }

    static let version = BanshiVersion.current

    /// The most envelope bytes one `events.since` page carries (one event always goes, whatever its
    /// size): a page of large events stays a bounded reply, and `has_more` sends the caller back for the rest.
    static let maxPageBytes = 4 << 20

    static func make(
        facts: ProcessFacts, database: ServiceDatabase?, backupDirectory: String, replyRetentionDays: Int?, serviceCommands: [CommandSpec],
        counters: @escaping @Sendable () -> (handled: Int64, failed: Int64, transactions: Int64, published: Int64),
        extra: @escaping @Sendable () async -> [String: JSONValue]
    ) -> [CommandSpec] {
        let status = CommandSpec("status", "the service's identity, liveness and progress") { _ in
            let uptime = ContinuousClock.now - facts.startedInstant
            let lastSeq = try await database?.writer.read { try EventLog.lastSeq($0) } ?? 0
            let (handled, failed, transactions, published) = counters()
            var result: [String: JSONValue] = [
                "service": .string(facts.service), "version": .string(version),
                "pid": .int(Int64(ProcessEnvironment.id)),
                "started_at": .string(Timestamp.format(facts.startedAt)),
                "uptime_seconds": .double(uptime.timeInterval),
                "last_seq": .int(lastSeq), "control": .string(facts.control),
                "commands_handled": .int(handled), "commands_failed": .int(failed),
                "write_transactions": .int(transactions), "events_published": .int(published),
            ]
            result.merge(await extra()) { _, new in new }
            return .object(result)
        }
        var all = [status]
        let since = CommandSpec(
            "events.since", "this service's own events with seq greater than after_seq, in order, a page at a time (at most 4 MiB of envelopes)",
            arguments: [
                ArgumentSpec("after_seq", .integer, required: true, "return events after this seq (0: from the start)"),
                ArgumentSpec("limit", .integer, "the page size, 1 to 10000 (default 1000)"),
            ]
        ) { context in
            let after = try context.arguments.int("after_seq", default: 0, in: 0...Int64.max)
            let limit = try context.arguments.int("limit", default: 1000, in: 1...10_000)
            guard let database else {
                return ["events": [], "last_seq": 0, "has_more": false]
            }
            let (events, lastSeq) = try await database.writer.read { db in
                (try EventLog.since(db, afterSeq: after, limit: Int(limit), maxBytes: maxPageBytes), try EventLog.lastSeq(db))
            }
            let through = events.last?.seq ?? after
            return [
                "events": .array(events.map { .fragment($0.envelope) }), "last_seq": .int(lastSeq),
                "has_more": .bool(through < lastSeq), "next_after_seq": .int(through),
            ]
        }
        all.append(since)
        if let database {
            all.append(DatabaseBackup.command(database: database, directory: backupDirectory))
            all.append(AuditLog.command())
            all.append(CommandReplyStore.pruneCommand(defaultDays: replyRetentionDays))
        }
        let everything = all + serviceCommands
        let help = CommandSpec("help", helpSummary, arguments: [helpArgument]) { context in
            var listed = (everything + [helpSpec]).sorted { $0.name < $1.name }
            if let only = context.arguments.optionalString("command") {
                listed = listed.filter { $0.name == only }
                guard !listed.isEmpty else {
                    throw CommandError(.notFound, "\(facts.service) has no command '\(only)'", field: "command")
                }
            }
            return ["service": .string(facts.service), "version": .string(version), "commands": .array(listed.map(\.helpValue))]
        }
        return everything + [help]
    }

    private static let helpSummary = "every command this service answers, with its arguments"
    private static let helpArgument = ArgumentSpec("command", .string, "only this command")

    /// `help`'s own entry in its listing.
    private static let helpSpec = CommandSpec("help", helpSummary, arguments: [helpArgument]) { _ in [:] }
}


/// The suite's version, reported by `status` and `help`.
public enum BanshiVersion {
    public static let current = "0.1.0"
}
