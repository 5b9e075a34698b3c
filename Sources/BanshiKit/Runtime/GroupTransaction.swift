import SQLite

/// One group of write commands in one transaction: each command's reply stored under its request id,
/// its events appended, its audit entry written.
///
/// A group runs straight first: no command has a savepoint of its own. A savepoint makes SQLite copy
/// every page a command is the first to change into the sub-journal, once per command and page, so
/// that a group of twenty commands writing the same last pages of the log, the reply store and the
/// audit log copied each of those pages twenty times: more bytes than the commit wrote to the log
/// (docs/architecture.md). When a command fails in a straight run, the transaction is rolled back
/// and the group runs again by a new `plan`: the commands before it straight again, the failed one
/// answered with its error without running a second time, and each one after it in a savepoint of
/// its own, so that a later failure rolls back alone. A group without failures runs once.
struct GroupTransaction {
    /// A write waiting for its group's transaction.
    struct Write {
        let route: [[UInt8]]
        let context: CommandContext
        let body: @Sendable (CommandContext, inout EventAppender) throws -> JSONValue
        /// Set when the caller's role may not run the command: it is refused, and audited, unrun.
        let refusal: CommandError?
        /// The digest of the arguments: audited, and stored with the reply.
        let argsDigest: String
    }

    /// How a run treats each command of the group.
    struct Plan {
        /// Failures already known, by position in the group: answered without running.
        var failures: [Int: any Error] = [:]
        /// From this position on, each command runs in a savepoint of its own.
        var savepointsFrom: Int
    }

    /// A command failed where it had no savepoint: the transaction must be rolled back.
    struct Rerun: Error {
        let index: Int
        let error: any Error
    }

    /// What a committed run produced: each command's reply text and outcome (`ok` or the error code),
    /// and the frames of the events appended, with the last seq.
    struct Committed {
        var replies: [(bytes: [UInt8], outcome: String)] = []
        var frames: [[[UInt8]]] = []
        var lastSeq: Int64 = 0
    }

    let writes: [Write]
    let service: String
    let catalog: EventCatalog?
    /// The error a failed command answers with.
    let replyError: (any Error, CommandRequest) -> CommandError

    /// Commits the group, running it again while a straight run meets a failure. Throws what the
    /// transaction itself met (the commit failed, say).
    func commit(_ database: ServiceDatabase) throws -> Committed {
        var plan = Plan(savepointsFrom: writes.count)
        // The role first: a stored reply is no answer for a caller who may not run the command.
        for (index, write) in writes.enumerated() {
            if let refusal = write.refusal { plan.failures[index] = refusal }
        }
        while true {
            do {
                return try database.writer.write { db in try run(db, plan) }
            } catch let rerun as Rerun {
                // Each rerun knows one more failure, so the runs end: at the latest when every
                // command either failed or ran in a savepoint. A failure that is not a command's
                // refusal (the database's, say) may meet the others too: they all get savepoints.
                plan.failures[rerun.index] = rerun.error
                plan.savepointsFrom = rerun.error is CommandError ? min(plan.savepointsFrom, rerun.index + 1) : 0
            }
        }
    }

    /// One run of the group inside the transaction.
    private func run(_ db: Database, _ plan: Plan) throws -> Committed {
        var result = Committed()
        // The log's end, carried from one command to the next instead of read for each.
        var logEnd: Int64?
        for (index, write) in writes.enumerated() {
            let request = write.context.request
            let straight = index < plan.savepointsFrom
            do {
                if let failure = plan.failures[index] { throw failure }
                let (stored, appended) =
                    straight
                    ? try apply(write, db: db, logEnd: logEnd)
                    : try Self.inSavepoint(db) { try apply(write, db: db, logEnd: logEnd) }
                result.replies.append((stored, "ok"))
                if let appended {
                    result.frames += appended.frames
                    result.lastSeq = max(result.lastSeq, appended.lastSeq)
                    logEnd = appended.logEnd
                }
                try AuditLog.record(
                    db, request: request, argsDigest: write.argsDigest, caller: write.context.caller, result: "ok", at: Timestamp())
            } catch let error where straight && plan.failures[index] == nil {
                throw Rerun(index: index, error: error)
            } catch {
                let failure = replyError(error, request)
                let reply = CommandReply(id: request.id, outcome: .failure(failure))
                result.replies.append((reply.serializedBytes(), failure.code.rawValue))
                try AuditLog.record(
                    db, request: request, argsDigest: write.argsDigest, caller: write.context.caller, result: failure.code.rawValue,
                    at: Timestamp())
            }
        }
        return result
    }

    /// Runs `body` inside a savepoint: released when it returns, rolled back alone when it throws.
    /// The statements are cached: every command of a rerun after a failure runs them.
    private static func inSavepoint<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(cached: "SAVEPOINT command")
        do {
            let result = try body()
            try db.execute(cached: "RELEASE SAVEPOINT command")
            return result
        } catch {
            try db.execute(cached: "ROLLBACK TO SAVEPOINT command")
            try db.execute(cached: "RELEASE SAVEPOINT command")
            throw error
        }
    }

    /// One write command: the stored reply if the id was seen, else run it and return the appender
    /// that holds its events (`logEnd`: the log's last seq, when known).
    private func apply(_ write: Write, db: Database, logEnd: Int64?) throws -> ([UInt8], EventAppender?) {
        let request = write.context.request
        if let stored = try CommandReplyStore.find(db, requestId: request.id) {
            guard stored.command == request.command else {
                throw CommandError(
                    .conflict, "request id '\(request.id)' was already used for command '\(stored.command)'", field: "id")
            }
            guard stored.argsDigest == nil || stored.argsDigest == write.argsDigest else {
                throw CommandError(
                    .conflict, "request id '\(request.id)' was already used with other arguments; send a new id for a new request",
                    field: "id")
            }
            return (Array(stored.reply.utf8), nil)
        }
        var appender = try EventAppender(
            // An event's time is the service's clock, never the caller's `now`: that moves deadline logic only.
            db: db, service: service, now: Timestamp(), causationid: request.id, correlationid: request.correlationid,
            catalog: catalog, logEnd: logEnd)
        let result = try write.body(write.context, &appender)
        let reply = CommandReply(id: request.id, outcome: .success(result)).serializedBytes()
        // Stored at the clock's time, not the command's `now`, which a test may set years away: the
        // retention window is about when the reply was given.
        try CommandReplyStore.store(
            db, requestId: request.id, command: request.command, argsDigest: write.argsDigest, reply: reply, at: Timestamp.format(Timestamp()))
        return (reply, appender)
    }
}
