import Foundation
import GRDB
import Logging
import Synchronization

/// Reads requests from the socket loop, runs them, and hands the replies back.
///
/// Everything a peer can send is answered: a frame count other than one, an oversized frame, bad
/// JSON, an unknown command and a wrong argument each get their own error code, and the dispatcher
/// goes on to the next request. Write commands run in one transaction each, which also stores the
/// reply (idempotency) and appends the events; the events are published only after the commit.
final class CommandDispatcher: Sendable {
    struct Counters {
        var handled: Int64 = 0
        var failed: Int64 = 0
    }

    let service: String
    private let commands: [String: CommandSpec]
    private let database: ServiceDatabase?
    private let loop: SocketLoop
    private let maxRequestBytes: Int
    private let logger: Logger
    private let counters = Mutex(Counters())

    init(service: String, commands: [CommandSpec], database: ServiceDatabase?, loop: SocketLoop, maxRequestBytes: Int, logger: Logger) {
        self.service = service
        self.commands = Dictionary(commands.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.database = database
        self.loop = loop
        self.maxRequestBytes = maxRequestBytes
        self.logger = logger
    }

    var handled: Int64 { counters.withLock { $0.handled } }
    var failed: Int64 { counters.withLock { $0.failed } }

    /// Serves until the loop stops accepting and every request already received is answered.
    func run() async {
        for await request in loop.requests {
            let reply = await handle(frames: request.frames)
            loop.reply(to: request.route, reply)
        }
    }

    /// The reply text for one request's frames.
    func handle(frames: [[UInt8]]) async -> String {
        let reply: CommandReply
        switch parse(frames) {
        case .failure(let failure):
            reply = CommandReply(id: failure.id, outcome: .failure(failure.error))
        case .success(let request):
            if let stored = await execute(request) { return count(stored, ok: true) }
            reply = CommandReply(id: request.id, outcome: .failure(CommandError(.internal, "no reply was produced")))
        }
        return count(reply.serialized(), ok: false)
    }

    private func count(_ text: String, ok: Bool) -> String {
        counters.withLock { counters in
            counters.handled += 1
            if !ok { counters.failed += 1 }
        }
        return text
    }

    private func parse(_ frames: [[UInt8]]) -> Result<CommandRequest, RequestParseFailure> {
        guard frames.count == 1 else {
            return .failure(.init(id: nil, error: CommandError(.invalidRequest, "a request is one frame, not \(frames.count)")))
        }
        guard frames[0].count <= maxRequestBytes else {
            return .failure(.init(id: nil, error: CommandError(
                .invalidRequest, "the request is too large: \(frames[0].count) bytes, the limit is \(maxRequestBytes)",
                details: ["size": .int(Int64(frames[0].count)), "limit": .int(Int64(maxRequestBytes))])))
        }
        return CommandRequest.parse(frames[0])
    }

    /// Runs `request`; returns the reply text, or `nil` only if nothing could be produced.
    private func execute(_ request: CommandRequest) async -> String? {
        let outcome: Result<String, CommandError>
        do {
            guard let spec = commands[request.command] else {
                throw CommandError(
                    .unknownCommand, "\(service) has no command '\(request.command)'; 'help' lists them",
                    details: ["command": .string(request.command)])
            }
            let arguments = try spec.check(request.args)
            let context = CommandContext(
                request: request, arguments: arguments, now: arguments.optionalTime("now") ?? Date(), logger: logger)
            switch spec.body {
            case .read(let body):
                let result = try await body(context)
                outcome = .success(CommandReply(id: request.id, outcome: .success(result)).serialized())
            case .write(let body):
                outcome = .success(try await write(request, context: context, body: body))
            }
        } catch let error as CommandError {
            outcome = .failure(error)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_FULL {
            logger.error("database unavailable", metadata: ["command": "\(request.command)", "error": "\(error)"])
            outcome = .failure(CommandError(.unavailable, "the database is unavailable; retry later"))
        } catch {
            logger.error("command failed", metadata: ["command": "\(request.command)", "id": "\(request.id)", "error": "\(error)"])
            outcome = .failure(CommandError(.internal, "the command failed inside the service; the log has the details"))
        }
        switch outcome {
        case .success(let text):
            return text
        case .failure(let error):
            counters.withLock { $0.failed += 1 }
            return CommandReply(id: request.id, outcome: .failure(error)).serialized()
        }
    }

    private func write(
        _ request: CommandRequest, context: CommandContext,
        body: @escaping @Sendable (CommandContext, inout EventAppender) throws -> JSONValue
    ) async throws -> String {
        guard let database else {
            throw CommandError(.internal, "\(service) keeps no database, so it has no state-changing commands")
        }
        let service = self.service
        let (reply, events) = try await database.writer.write { db -> (String, [EventEnvelope]) in
            if let stored = try CommandReplyStore.find(db, requestId: request.id) {
                guard stored.command == request.command else {
                    throw CommandError(
                        .conflict, "request id '\(request.id)' was already used for command '\(stored.command)'",
                        field: "id")
                }
                return (stored.reply, [])
            }
            var appender = try EventAppender(
                db: db, service: service, now: context.now, causationid: request.id, correlationid: request.correlationid)
            let result = try body(context, &appender)
            let reply = CommandReply(id: request.id, outcome: .success(result)).serialized()
            try CommandReplyStore.store(
                db, requestId: request.id, command: request.command, reply: reply, at: Timestamp.format(context.now))
            return (reply, appender.appended)
        }
        // The transaction is durable now (synchronous=FULL): publish, then acknowledge.
        loop.publish(events)
        return reply
    }
}
