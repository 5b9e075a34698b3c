import SQLite
import Logging
import Synchronization

/// Reads request batches from the socket loop, runs them, and hands the replies back.
///
/// Two stages overlap: one checks what arrives (parses it, checks the arguments and the caller's
/// role, digests the arguments) while the other runs what was checked before, so that the next
/// group is ready when a transaction ends. The checking stage runs on the socket loop's thread, as
/// each batch comes off the socket (`intake`); the running stage has a thread of its own
/// (`ThreadExecutor`) and writes each group's transaction there synchronously. So a request is
/// handed from thread to thread once on its way in.
///
/// Everything a peer can send is answered: a frame count other than one, an oversized frame, bad
/// JSON, an unknown command and a wrong argument each get their own error code, and the dispatcher
/// goes on to the next request.
///
/// Write commands that arrive together are group-committed (`GroupTransaction`): one transaction in
/// which a failing command leaves no trace, each command's reply stored under its request id
/// (idempotency) and its events appended. Only after the commit is durable are the events handed to
/// the relay and the replies sent. Replies go out in arrival order, but for a write with a slow
/// preparation (`CommandSpec`'s `prepare`: hashing an evidence file, say): that runs beside the
/// running stage, which goes on with the commands after it, and the write joins a later group when
/// its preparation is done. So a large file holds up no other command, and the write is answered
/// when it is done. A long read (`CommandSpec.runsAside`: a report, a backup) runs beside the running
/// stage too, one at a time on a thread of its own, and is answered when it is done.
final class CommandDispatcher: Sendable {
    struct Counters {
        var handled: Int64 = 0
        var failed: Int64 = 0
        var transactions: Int64 = 0
    }

    /// A request checked and ready to run. `digest`: the digest of its arguments, for the audit log
    /// (and stored with a write's reply), taken while checking.
    private enum Prepared: Sendable {
        /// `command`: the name the request gave, when it got that far (unknown names are counted as `-`).
        case answered(CommandReply, command: String? = nil)
        /// `audit`: the digest when the read is recorded in the audit log, whether it ran or was refused.
        /// `aside`: a long read, run beside the running stage.
        case read(CommandContext, @Sendable (CommandContext) async throws -> JSONValue, audit: String?, aside: Bool = false)
        /// `refusal`: the caller's role may not run it; it is refused, and audited, before anything else.
        case write(
            CommandContext, @Sendable (CommandContext, inout EventAppender) throws -> JSONValue, refusal: CommandError?, digest: String)
        /// A write whose `prepare` runs first, outside any transaction (the caller is allowed to run it).
        case preparedWrite(
            CommandContext, prepare: @Sendable (CommandContext) async throws -> JSONValue,
            write: @Sendable (CommandContext, JSONValue, inout EventAppender) throws -> JSONValue, digest: String)
    }

    /// A request as the checking stage leaves it for the running stage.
    private struct Staged: Sendable {
        let route: [[UInt8]]
        let prepared: Prepared
    }

    /// A long read handed from the running stage to the lane beside it.
    private struct AsideRead: Sendable {
        let route: [[UInt8]]
        let context: CommandContext
        let body: @Sendable (CommandContext) async throws -> JSONValue
        let audit: String?
        let arrived: ContinuousClock.Instant
    }

    let service: String
    private let commands: [String: CommandSpec]
    private let database: ServiceDatabase?
    private let loop: SocketLoop
    private let maxRequestBytes: Int
    private let logger: Logger
    private let catalog: EventCatalog?
    /// The allow-list, when CURVE is on; callers are then named and authorised by their key.
    private let keys: KeyRingStore?
    /// Whether a request may carry `now` ([runtime] allow_now: tests and development only).
    private let allowNow: Bool
    private let counters = Mutex(Counters())
    /// A database that cannot take writes (its disk full) fails every command until an operator acts:
    /// one error a minute says so, with the failures since.
    private let storageErrors = Mutex(WarningThrottle(every: .seconds(60)))
    let metrics = CommandMetrics()
    /// Checked requests waiting for the running stage.
    private let checked = HandOffQueue<Staged>()
    /// Preparations under way, by request id and argument digest: the same request sent again (after a
    /// client's timeout, say) waits for the one under way instead of starting another.
    private let preparing = Mutex<[String: Task<JSONValue, any Error>]>([:])

    init(
        service: String, commands: [CommandSpec], catalog: EventCatalog? = nil, keys: KeyRingStore? = nil, database: ServiceDatabase?,
        loop: SocketLoop, maxRequestBytes: Int, allowNow: Bool = true, logger: Logger
    ) {
        self.service = service
        self.allowNow = allowNow
        self.keys = keys
        self.catalog = catalog
        self.commands = Dictionary(commands.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.database = database
        self.loop = loop
        self.maxRequestBytes = maxRequestBytes
        self.logger = logger
    }

    var statistics: Counters { counters.withLock { $0 } }

    /// What the socket loop is started with: the checking stage, run on its thread, and the end of
    /// the requests when it stops accepting.
    var intake: RequestIntake {
        RequestIntake(receive: { [self] in checked.put(check($0)) }, end: { [checked] in checked.finish() })
    }

    /// Serves until the loop stops accepting and every request already received is answered, those
    /// whose preparation was still running and the long reads still waiting included.
    func run() async {
        let writer = ThreadExecutor(name: "banshi-writer")
        // Long reads wait for a reading connection, and may block a thread doing so: this one, never
        // one of the cooperative pool's. One at a time, so that they never wait for each other's thread.
        // A service without long reads (the bus) has no such thread.
        let reader = commands.values.contains(where: \.runsAside) ? ThreadExecutor(name: "banshi-reads") : nil
        await withTaskExecutorPreference(writer) {
            await withDiscardingTaskGroup { tasks in
                let reads = reader.map { reader in
                    let reads = HandOffQueue<AsideRead>()
                    tasks.addTask(executorPreference: reader) {
                        await reads.consume { batch in
                            for read in batch { await self.runAside(read) }
                        }
                    }
                    return reads
                }
                await checked.consume { batch in
                    await self.serve(batch, asideReads: reads) { preparation in
                        tasks.addTask(executorPreference: globalConcurrentExecutor, operation: preparation)
                    }
                }
                reads?.finish()
            }
            // Writes whose preparation ended after the last request came: each is a plain write now.
            let rest = checked.takeAll()
            if !rest.isEmpty { await serve(rest, asideReads: nil) { _ in preconditionFailure("a prepared write is prepared once") } }
        }
        writer.shutdown()
        reader?.shutdown()
    }

    /// The checking stage: each request parsed and checked, an audited one's arguments digested.
    private func check(_ batch: [IncomingRequest]) -> [Staged] {
        batch.map { request in
            Staged(route: request.route, prepared: prepare(request.frames, caller: Caller.resolve(request.caller, keys: keys)))
        }
    }

    /// Replies gathered while a batch is served, handed to the socket loop together; each counted in
    /// the command metrics as it is added.
    private struct Outgoing {
        var replies: [(route: [[UInt8]], body: [UInt8])] = []
        /// The committed groups' events, in commit order, with each group's last seq.
        var publications: [(frames: [[[UInt8]]], lastSeq: Int64)] = []
        var failed: Int64 = 0
        let metrics: CommandMetrics
        let commands: [String: CommandSpec]
        /// When the requests it answers were taken up (a long read's, when the running stage handed it on).
        var arrived = ContinuousClock.now

        mutating func add(_ reply: CommandReply, command: String?, to route: [[UInt8]]) {
            let outcome: String
            switch reply.outcome {
            case .success: outcome = "ok"
            case .failure(let error): outcome = error.code.rawValue
            }
            add(reply.serializedBytes(), command: command, outcome: outcome, to: route)
        }

        /// `body`: the reply's JSON text; `outcome`: `ok` or the error code.
        mutating func add(_ body: [UInt8], command: String?, outcome: String, to route: [[UInt8]]) {
            replies.append((route, body))
            if outcome != "ok" { failed += 1 }
            metrics.record(
                command: command, known: command.map { commands[$0] != nil } ?? false, outcome: outcome,
                seconds: (ContinuousClock.now - arrived).timeInterval)
        }
    }

    /// The running stage: checked requests in arrival order, consecutive writes in one transaction.
    /// A write's preparation is handed to `startPreparation`, which runs it beside this stage; when it
    /// is done, the write comes back through `checked` as a plain write. A long read is put on
    /// `asideReads` once the writes before it are committed; without that lane (after the intake has
    /// ended, or in a service without long reads) it runs here.
    private func serve(
        _ batch: [Staged], asideReads: HandOffQueue<AsideRead>?, startPreparation: (@escaping @Sendable () async -> Void) -> Void
    ) async {
        var writes: [GroupTransaction.Write] = []
        var outgoing = Outgoing(metrics: metrics, commands: commands)
        for request in batch {
            switch request.prepared {
            case .write(let context, let body, let refusal, let digest):
                writes.append(.init(route: request.route, context: context, body: body, refusal: refusal, argsDigest: digest))
            case .answered(let reply, let command):
                commit(&writes, into: &outgoing)
                outgoing.add(reply, command: command, to: request.route)
            case .read(let context, let body, let audit, let aside):
                commit(&writes, into: &outgoing)
                if aside, let asideReads {
                    asideReads.put([AsideRead(route: request.route, context: context, body: body, audit: audit, arrived: outgoing.arrived)])
                    continue
                }
                outgoing.add(await runRead(context, body, audit: audit), command: context.request.command, to: request.route)
            case .preparedWrite(let context, let prepare, let write, let digest):
                // The slow part runs outside any transaction, beside this stage; a failure in it is
                // still a write refused inside the transaction, so that the audit log records it.
                // A request whose reply is stored (sent again after a timeout) is answered with it in
                // this group, unprepared and unrun.
                if hasStoredReply(context.request.id) {
                    writes.append(.init(route: request.route, context: context, body: { _, _ in throw Self.pruned }, refusal: nil, argsDigest: digest))
                    continue
                }
                let route = request.route
                startPreparation { [self] in
                    let body: @Sendable (CommandContext, inout EventAppender) throws -> JSONValue
                    do {
                        let prepared = try await preparation(context, digest: digest, prepare)
                        body = { context, events in try write(context, prepared, &events) }
                    } catch {
                        body = { _, _ in throw error }
                    }
                    checked.put([Staged(route: route, prepared: .write(context, body, refusal: nil, digest: digest))])
                }
            }
        }
        commit(&writes, into: &outgoing)
        send(outgoing)
    }

    /// One long read, run and answered beside the running stage.
    private func runAside(_ read: AsideRead) async {
        var outgoing = Outgoing(metrics: metrics, commands: commands, arrived: read.arrived)
        outgoing.add(await runRead(read.context, read.body, audit: read.audit), command: read.context.request.command, to: read.route)
        send(outgoing)
    }

    /// Whether a reply to `requestId` is stored. Read on the running stage's own thread (synchronously:
    /// waiting for a reader blocks no thread of the cooperative pool).
    private func hasStoredReply(_ requestId: String) -> Bool {
        (try? database?.writer.read { db in try CommandReplyStore.find(db, requestId: requestId) }) != nil
    }

    /// What a write answered from its stored reply says if that reply was pruned in the instant between.
    private static let pruned = CommandError(.unavailable, "the stored reply to this request was just pruned; send it again")

    /// What `prepare` gives for the request of `context`, shared with the same request's preparation
    /// under way.
    private func preparation(
        _ context: CommandContext, digest: String, _ prepare: @escaping @Sendable (CommandContext) async throws -> JSONValue
    ) async throws -> JSONValue {
        let key = "\(context.request.id) \(digest)"
        let task = preparing.withLock { running in
            if let task = running[key] { return task }
            let task = Task { try await prepare(context) }
            running[key] = task
            return task
        }
        defer { preparing.withLock { _ = $0.removeValue(forKey: key) } }
        return try await task.value
    }

    /// Publishes the batch's events and sends its replies, once the commits they acknowledge are on
    /// disk (through the database's durability gate).
    private func send(_ outgoing: Outgoing) {
        guard !outgoing.replies.isEmpty || !outgoing.publications.isEmpty else { return }
        counters.withLock {
            $0.handled += Int64(outgoing.replies.count)
            $0.failed += outgoing.failed
        }
        let loop = self.loop
        let (publications, replies) = (outgoing.publications, outgoing.replies)
        let deliver: @Sendable () -> Void = {
            for publication in publications { loop.publish(publication.frames, lastSeq: publication.lastSeq) }
            if !replies.isEmpty { loop.reply(replies) }
        }
        if let gate = database?.gate { gate.release(deliver) } else { deliver() }
    }

    // MARK: Checking

    private func prepare(_ frames: [[UInt8]], caller: Caller) -> Prepared {
        guard frames.count == 1 else {
            return .answered(CommandReply(id: nil, outcome: .failure(CommandError(.invalidRequest, "a request is one frame, not \(frames.count)"))))
        }
        guard frames[0].count <= maxRequestBytes else {
            return .answered(CommandReply(id: nil, outcome: .failure(CommandError(
                .invalidRequest, "the request is too large: \(frames[0].count) bytes, the limit is \(maxRequestBytes)",
                details: ["size": .int(Int64(frames[0].count)), "limit": .int(Int64(maxRequestBytes))]))))
        }
        let request: CommandRequest
        switch CommandRequest.parse(frames[0]) {
        case .failure(let failure): return .answered(CommandReply(id: failure.id, outcome: .failure(failure.error)))
        case .success(let parsed): request = parsed
        }
        do {
            guard let spec = commands[request.command] else {
                throw CommandError(
                    .unknownCommand, "\(service) has no command '\(request.command)'; 'help' lists them",
                    details: ["command": .string(request.command)])
            }
            if spec.mutates, database == nil {
                throw CommandError(.internal, "\(service) keeps no database, so it has no state-changing commands")
            }
            // The role before the arguments: a caller who may not run the command learns nothing from
            // how its arguments are checked, and its attempt is refused (and audited) whatever they are.
            let allowed = caller.role?.mayRun(mutating: spec.mutates, confidential: spec.confidential) ?? false
            // A confidential read (personal data, a copy of the database) is audited, refused or not;
            // so is every write, which goes through the write path even when refused.
            let audit = (spec.mutates || spec.confidential) && database != nil ? AuditLog.digest(request) : nil
            guard allowed else {
                let refusal = CommandError(
                    .unauthorized, "key '\(caller.key)' (\(caller.role?.rawValue ?? "no role")) may not run '\(request.command)'",
                    details: ["role": caller.role.map { .string($0.rawValue) } ?? .null])
                guard let audit else { throw refusal }
                // Its arguments unchecked: the refusal is all that runs.
                let context = CommandContext(
                    request: request, arguments: Arguments([:]), now: Timestamp(), logger: logger, database: database, caller: caller)
                return spec.mutates
                    ? .write(context, { _, _ in throw refusal }, refusal: refusal, digest: audit)
                    : .read(context, { _ in throw refusal }, audit: audit)
            }
            if !allowNow, request.args["now"] != nil, request.args["now"] != .null {
                throw CommandError(
                    .invalidArgument, "'now' moves deadline logic in tests and development only ([runtime] allow_now = true); here the service's clock decides",
                    field: "now")
            }
            let arguments = try spec.check(request.args)
            let context = CommandContext(
                request: request, arguments: arguments, now: arguments.optionalTime("now") ?? Timestamp(), logger: logger,
                database: database, caller: caller)
            switch spec.body {
            case .read(let body):
                return .read(context, body, audit: audit, aside: spec.runsAside)
            // A write always has its digest: it needs the database, checked above.
            case .write(let body):
                return .write(context, body, refusal: nil, digest: audit!)
            case .preparedWrite(let prepare, let write):
                return .preparedWrite(context, prepare: prepare, write: write, digest: audit!)
            }
        } catch {
            return .answered(CommandReply(id: request.id, outcome: .failure(replyError(error, request: request))), command: request.command)
        }
    }

    /// The contract's error for whatever a command threw; faults are logged, not leaked.
    private func replyError(_ error: any Error, request: CommandRequest) -> CommandError {
        if let error = error as? CommandError { return error }
        if let database = error as? DatabaseError, let unavailable = Self.storageUnavailable(database) {
            logStorageError("database unavailable", ["command": "\(request.command)", "error": "\(error)"])
            return unavailable
        }
        logger.error("command failed", metadata: ["command": "\(request.command)", "id": "\(request.id)", "error": "\(error)"])
        return CommandError(.internal, "the command failed inside the service; the log has the details")
    }

    /// Logs a write the database could not take, at most once a minute, with the failures since.
    private func logStorageError(_ message: Logger.Message, _ metadata: Logger.Metadata) {
        guard let failures = storageErrors.withLock({ $0.occurred() }) else { return }
        logger.error(message, metadata: metadata.merging(["failures_since_last_error": "\(failures)"]) { $1 })
    }

    /// What a caller is told when the database cannot take a write for a while: busy, or its disk full
    /// (an operator's matter: the reply says which, so that an admin knows whom to call).
    static func storageUnavailable(_ error: DatabaseError) -> CommandError? {
        switch error.resultCode {
        case .SQLITE_FULL: CommandError(.unavailable, "the disk holding this service's database is full; retry once space is freed")
        case .SQLITE_BUSY: CommandError(.unavailable, "the database is busy; retry later")
        default: nil
        }
    }

    // MARK: Running

    private func runRead(
        _ context: CommandContext, _ body: @Sendable (CommandContext) async throws -> JSONValue, audit: String?
    ) async -> CommandReply {
        let reply: CommandReply
        do {
            reply = CommandReply(id: context.request.id, outcome: .success(try await body(context)))
        } catch {
            reply = CommandReply(id: context.request.id, outcome: .failure(replyError(error, request: context.request)))
        }
        guard let audit, let database else { return reply }
        let result: String
        switch reply.outcome {
        case .success: result = "ok"
        case .failure(let error): result = error.code.rawValue
        }
        do {
            try await database.writer.write { db in
                try AuditLog.record(
                    db, request: context.request, argsDigest: audit, caller: context.caller, result: result, at: Timestamp())
            }
        } catch {
            // What cannot be audited is not handed out.
            logger.error("audit entry could not be written", metadata: ["command": "\(context.request.command)", "error": "\(error)"])
            return CommandReply(id: context.request.id, outcome: .failure(CommandError(.unavailable, "the audit log cannot be written; retry later")))
        }
        return reply
    }

    /// Runs the pending writes in one transaction (`GroupTransaction`), then publishes their events
    /// and queues their replies.
    private func commit(_ writes: inout [GroupTransaction.Write], into outgoing: inout Outgoing) {
        guard !writes.isEmpty, let database else { return }
        let group = GroupTransaction(writes: writes, service: service, catalog: catalog) { self.replyError($0, request: $1) }
        writes.removeAll()
        // Synchronously, on the running stage's own thread (`ThreadExecutor`).
        let outcome = Result { try group.commit(database) }
        counters.withLock { $0.transactions += 1 }
        switch outcome {
        case .success(let result):
            // Published, then acknowledged, once the commit is on disk (`send`).
            if !result.frames.isEmpty { outgoing.publications.append((result.frames, result.lastSeq)) }
            for (write, reply) in zip(group.writes, result.replies) {
                outgoing.add(reply.bytes, command: write.context.request.command, outcome: reply.outcome, to: write.route)
            }
        case .failure(let error):
            let storage = (error as? DatabaseError).flatMap(Self.storageUnavailable)
            let metadata: Logger.Metadata = ["commands": "\(group.writes.count)", "error": "\(error)"]
            if storage == nil {
                logger.error("group commit failed", metadata: metadata)
            } else {
                logStorageError("group commit failed", metadata)
            }
            for write in group.writes {
                let reason = storage ?? CommandError(.unavailable, "the transaction could not be committed; retry later")
                let reply = CommandReply(id: write.context.request.id, outcome: .failure(reason))
                outgoing.add(reply, command: write.context.request.command, to: write.route)
            }
        }
    }
}
