import SQLite
import Logging
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// Applies other services' events exactly once, in order per source, whatever the bus drops.
///
/// It follows the zguide's Clone pattern. It subscribes first, so that live events queue up; then it
/// catches up from each followed source with `events.since`; then it applies live events, discarding
/// any at or below its cursor. When a `seq` is skipped, or a heartbeat shows the log reaches further
/// than the cursor, it fetches the missing range. Each applied batch and the new cursors are written in
/// one transaction, so a crash at any instant neither loses nor repeats an effect.
///
/// One thread owns the SUB socket and the control clients. It hands each batch to the database's
/// writer queue and reads and decodes the next while that one is applied (`InFlightBatch`): at most
/// one batch is in flight, so batches commit in order. What the thread cannot keep up with waits in
/// libzmq's queue, or is dropped there and fetched again.
public final class DurableSubscriber: Sendable {
    /// Applies a batch of events, in order, inside the subscriber's write transaction, on the
    /// database's writer queue. A batch at a time, so that a statement run for every event is looked
    /// up once per batch (finding a cached statement hashes its whole SQL text).
    public typealias Apply = @Sendable (Database, [ReceivedEvent]) throws -> Void
    /// Told of each batch once its transaction has committed, on the database's writer queue.
    public typealias Committed = @Sendable ([ReceivedEvent]) -> Void
    /// Puts the source's own copy of an event in place of one applied under the same seq with another
    /// id (a forgery that got through): inside a write transaction of its own.
    public typealias Replace = @Sendable (_ db: Database, _ appliedID: String, _ genuine: ReceivedEvent) throws -> Void

    /// What the subscriber knows about one source, for `status`.
    public struct SourceProgress: Sendable {
        public var applied: Int64 = 0
        /// The furthest `seq` seen in an event or a heartbeat.
        public var latest: Int64 = 0
        public var lastHeard: Timestamp?
        public var heartbeatInterval: Duration?
        public var gapsHealed: Int64 = 0
        public var eventsFetched: Int64 = 0
        public var lastError: String?
        /// Seq collisions seen: the same seq with another id than the one applied. Each is a sign that
        /// something upstream let a forged event through.
        public var integrityAlarms: Int64 = 0
        public var lastAlarm: String?
    }

    struct State {
        var progress: [String: SourceProgress] = [:]
        var malformed: Int64 = 0
        /// A failing write (a full disk) is retried every second or so: one error a minute says so.
        var applyErrors = WarningThrottle(every: .seconds(60))
        var applyFailing = false
    }

    private let context: Context
    /// Every bus's subscribe endpoint: one SUB socket listens to all, and the seq discards the copies.
    private let busEndpoints: [String]
    private let sources: [String: FollowedSource]
    /// Followed services by CloudEvents `source` (`/banshi/<name>`), to name an event's source without
    /// building a string per event.
    private let names: [String: SourceName]
    private let prefixes: [String]
    private let database: ServiceDatabase
    private let requestTimeout: Duration
    private let receiveHighWaterMark: Int32
    private let logger: Logger
    private let apply: Apply
    private let committed: Committed?
    private let replace: Replace?
    private let state = Mutex(State())
    private let thread = SocketThread(name: "banshi-subscriber")

    /// - Parameter prefixes: the topics to apply; by default every event of each followed source.
    public init(
        context: Context, busEndpoints: [String], sources: [FollowedSource], prefixes: [String]? = nil,
        database: ServiceDatabase, requestTimeout: Duration, receiveHighWaterMark: Int32 = 100_000, logger: Logger,
        committed: Committed? = nil, replace: Replace? = nil, apply: @escaping Apply
    ) {
        self.committed = committed
        self.replace = replace
        self.context = context
        self.busEndpoints = busEndpoints
        self.sources = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.names = Dictionary(
            sources.map { (EventEnvelope.source(of: $0.name), SourceName($0.name)) }, uniquingKeysWith: { first, _ in first })
        self.prefixes = prefixes ?? sources.map { "\($0.name)." }
        self.database = database
        self.requestTimeout = requestTimeout
        self.receiveHighWaterMark = receiveHighWaterMark
        self.logger = logger
        self.apply = apply
    }

    /// A snapshot of every source's progress.
    public var progress: [String: SourceProgress] { state.withLock { $0.progress } }

    /// `status`'s `subscriptions` member: per source, applied and latest seq, lag, liveness.
    public func statusValue(now: Timestamp = Timestamp()) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (name, progress) in progress {
            var liveness = "unknown"
            if let heard = progress.lastHeard {
                let window = (progress.heartbeatInterval ?? .seconds(1)) * 3
                liveness = now.timeIntervalSince(heard) <= window.timeInterval ? "alive" : "unreachable"
            }
            var entry: [String: JSONValue] = [
                "applied_seq": .int(progress.applied), "latest_seq": .int(progress.latest),
                "lag": .int(max(0, progress.latest - progress.applied)), "source_state": .string(liveness),
                "gaps_healed": .int(progress.gapsHealed), "events_fetched": .int(progress.eventsFetched),
            ]
            if let heard = progress.lastHeard { entry["last_heard"] = .string(Timestamp.format(heard)) }
            if let error = progress.lastError { entry["last_error"] = .string(error) }
            entry["integrity_alarms"] = .int(progress.integrityAlarms)
            if let alarm = progress.lastAlarm { entry["last_alarm"] = .string(alarm) }
            members[name] = .object(entry)
        }
        return .object(members)
    }

    /// Subscribes, then catches up and applies live events on a thread of its own.
    public func start() async throws {
        try await thread.start { [self] started in run(started: started) }
    }

    /// Stops after the batch in hand and returns once the thread has closed its sockets.
    public func stop() async {
        await thread.stop()
    }

    private var isStopping: Bool { thread.isStopping }

    // MARK: The thread

    private func run(started: @Sendable (Result<Void, any Error>) -> Void) {
        let socket: Socket
        var cursors: [String: Int64]
        let busHandshakes: BusHandshakes
        do {
            socket = try Socket(context, .sub)
            try socket.setLinger(.zero)
            try TransportSecurity.current?.secureClient(socket, peer: "bus")
            try socket.setReceiveHighWaterMark(receiveHighWaterMark)
            for prefix in prefixes { try socket.subscribe(prefix) }
            for name in sources.keys { try socket.subscribe(Heartbeat.topic(of: name)) }
            busHandshakes = try BusHandshakes(
                socket, connectingTo: busEndpoints, socketName: "subscriber", consequence: "no event or heartbeat comes from the bus", logger: logger)
            cursors = try database.writer.read { try SubscriberCursor.all($0) }
        } catch {
            started(.failure(error))
            return
        }
        state.withLock { state in
            for name in sources.keys {
                state.progress[name, default: SourceProgress()].applied = cursors[name] ?? 0
                state.progress[name, default: SourceProgress()].latest = cursors[name] ?? 0
            }
        }
        started(.success(()))
        var clients: [String: ControlClient] = [:]
        var session = Session(cursors: cursors, busHandshakes: busHandshakes)

        // Clone pattern: subscribed already (live events queue in libzmq), now catch up from the logs.
        // A source that does not answer its first page within a second is left to the sweep (which
        // fetches once its heartbeats say it has events), so that a source that is down costs the
        // others a second, not a request timeout.
        for name in sources.keys.sorted() where !isStopping {
            fill(name, through: nil, firstAnswer: min(requestTimeout, Self.firstAnswer), session: &session, clients: &clients)
        }
        let poller = Poller()
        poller.add(socket)
        var nextSweep = ContinuousClock.now + .seconds(1)
        while !isStopping {
            do {
                if try poller.poll(timeout: .milliseconds(100)) > 0 {
                    try receiveBatch(from: socket, session: &session, clients: &clients)
                }
            } catch {
                logger.error("subscriber socket failed", metadata: ["error": "\(error)"])
                break
            }
            if ContinuousClock.now >= nextSweep {
                session.busHandshakes.drain()
                // A lost tail shows only in heartbeats: fetch whatever the logs hold beyond the cursors.
                // A source that failed to answer is retried with back-off, so that one dead source
                // does not stall the others for a timeout every second.
                for (name, progress) in progress where progress.latest > session.cursor(name) && !isStopping {
                    if let retryAt = session.retryAt[name], ContinuousClock.now < retryAt { continue }
                    fill(name, through: progress.latest, session: &session, clients: &clients)
                }
                noteSilence(&session)
                nextSweep = ContinuousClock.now + .seconds(1)
            }
        }
        settle(&session)  // the database is closed after the thread returns: not under a batch in flight
    }

    /// The cursors as the thread sees them, and the events read but not yet committed.
    /// Warns once when a source that was heard falls silent for three heartbeat intervals (down, or cut
    /// off from the bus), and says when it is heard again.
    private func noteSilence(_ session: inout Session, now: Timestamp = Timestamp()) {
        for (name, progress) in progress {
            guard let heard = progress.lastHeard else { continue }
            let window = (progress.heartbeatInterval ?? .seconds(1)) * 3
            let quiet = now.timeIntervalSince(heard)
            if quiet > window.timeInterval, session.silent.insert(name).inserted {
                logger.warning(
                    "source stopped answering: no event or heartbeat", metadata: ["source": "\(name)", "silent_s": "\(Int(quiet))", "last_heard": "\(Timestamp.format(heard))"])
            } else if quiet <= window.timeInterval, session.silent.remove(name) != nil {
                logger.info("source heard again", metadata: ["source": "\(name)"])
            }
        }
    }

    struct Session {
        /// The cursors committed.
        var cursors: [String: Int64]
        /// The batch the database's writer is applying, if any.
        var inFlight: InFlightBatch?
        var pending: [ReceivedEvent] = []
        var pendingLast: [String: Int64] = [:]
        /// When a source whose catch-up failed may be tried again by the sweep, and the current back-off.
        var retryAt: [String: ContinuousClock.Instant] = [:]
        var backoff: [String: Duration] = [:]
        /// Sources last found silent (no event or heartbeat for three heartbeat intervals).
        var silent: Set<String> = []
        /// The ids of the events applied last, per source, to tell a copy from a collision.
        var recent: [String: RecentIDs] = [:]
        /// The topic frame of the message being read, reused.
        var topic: [UInt8] = []
        /// The subscriber's handshakes with the bus, read at every sweep and between the pages of a
        /// catch-up, which can run for minutes.
        var busHandshakes: BusHandshakes

        /// Queues `event` of `source` to be applied.
        mutating func append(_ event: consuming ReceivedEvent, source: String) {
            pendingLast[source] = event.envelope.seq
            recent[source, default: RecentIDs()].record(event.envelope.seq, event.envelope.id)
            event.source = source
            pending.append(event)
        }

        /// Queues a page of `source`'s events, checked and in order; `events` is left empty. Onto an
        /// empty queue, the page's array becomes the queue whole: a copy of an event retains, and
        /// later releases, each string it holds, and a catch-up queues pages of 5,000 (a page is
        /// copied only onto events already queued).
        mutating func append(page events: inout [ReceivedEvent], source: String) {
            guard let last = events.last?.envelope.seq else { return }
            pendingLast[source] = last
            recent[source, default: RecentIDs()].record(events)
            for index in events.indices { events[index].source = source }
            if pending.isEmpty {
                swap(&pending, &events)
            } else {
                pending.append(contentsOf: events)
            }
            events.removeAll()
        }

        /// Drops the pending events: handed to the writer, or read on top of a batch that failed.
        mutating func clearPending() {
            pending.removeAll(keepingCapacity: true)
            pendingLast.removeAll()
        }

        /// The last seq applied or about to be, for `source`.
        func cursor(_ source: String) -> Int64 { pendingLast[source] ?? inFlight?.last[source] ?? cursors[source] ?? 0 }
    }

    private func receiveBatch(from socket: Socket, session: inout Session, clients: inout [String: ControlClient]) throws {
        var gapsToFill: [String: Int64] = [:]
        var heard: [String: Int64] = [:]
        defer { noteHeard(heard) }
        var lastSource: (cloudEvents: String, name: SourceName)?
        for _ in 0..<10_000 {
            guard let message = try Self.receive(from: socket, topic: &session.topic) else { break }
            let received: ReceivedEvent
            switch message {
            case .malformed(let reason):
                noteMalformed(reason)
                continue
            case .event(let event):
                received = event
            case .heartbeat(let bytes):
                guard let heartbeat = Heartbeat(envelope: bytes), sources[heartbeat.service] != nil else { continue }
                state.withLock { state in
                    var progress = state.progress[heartbeat.service, default: SourceProgress()]
                    progress.latest = max(progress.latest, heartbeat.lastSeq)
                    progress.lastHeard = Timestamp()
                    progress.heartbeatInterval = heartbeat.interval
                    state.progress[heartbeat.service] = progress
                }
                if heartbeat.lastSeq > session.cursor(heartbeat.service) {
                    gapsToFill[heartbeat.service] = max(gapsToFill[heartbeat.service] ?? 0, heartbeat.lastSeq)
                }
                continue
            }
            // Events come in runs from one source: compare with the last one's before hashing.
            let named: SourceName
            if let last = lastSource, last.cloudEvents == received.envelope.source {
                named = last.name
            } else {
                guard let name = names[received.envelope.source] else { continue }
                named = name
                lastSource = (received.envelope.source, name)
            }
            let source = named.name
            // The topic is the type (checked on receipt); the type must be the source's own.
            guard received.envelope.type.utf8.starts(with: named.typePrefix) else {
                noteMalformed("an event from \(received.envelope.source) of type \(received.envelope.type): its source and topic disagree")
                continue
            }
            Self.raise(&heard[source, default: 0], to: received.envelope.seq)  // one lookup, through the modify accessor
            let expected = session.cursor(source) + 1
            if received.envelope.seq < expected {
                // A copy (a second bus, a fetch that overtook the stream) has the id already applied;
                // another id under the same seq is a collision, settled by the source's own log.
                if let applied = session.recent[source]?.id(of: received.envelope.seq), applied != received.envelope.id {
                    commit(&session)
                    settleCollision(source, seq: received.envelope.seq, applied: applied, heard: received.envelope.id, session: &session, clients: &clients)
                }
                continue
            }
            if received.envelope.seq > expected {
                // A gap: commit what is in hand, fetch the missing range, then go on with this event.
                commit(&session)
                fill(source, through: received.envelope.seq - 1, session: &session, clients: &clients)
                guard session.cursor(source) == received.envelope.seq - 1 else { continue }  // fetched past it, or failed
                state.withLock { $0.progress[source]?.gapsHealed += 1 }
            }
            session.append(consume received, source: source)  // moved: a copy retains and releases each of its strings
        }
        commit(&session)
        for (source, through) in gapsToFill where through > session.cursor(source) {
            fill(source, through: through, session: &session, clients: &clients)
        }
    }

    /// A message from the bus, read.
    private enum Received {
        case event(ReceivedEvent)
        /// A heartbeat's envelope.
        case heartbeat([UInt8])
        case malformed(String)

        init(envelope bytes: UnsafeRawBufferPointer) {
            do throws(EnvelopeError) {
                self = .event(ReceivedEvent(envelope: try EventEnvelope.decode(bytes), encoded: Array(bytes)))
            } catch {
                self = .malformed("\(error)")
            }
        }
    }

    /// The next message queued on `socket`, or `nil`. An event's envelope is decoded where libzmq
    /// holds the frame, not copied out of it first.
    private static func receive(from socket: Socket, topic: inout [UInt8]) throws -> Received? {
        var heartbeatTopic = false
        var received = Received.malformed("a message without an envelope")
        let frames = try socket.receiveFrames(dontWait: true) { index, bytes in
            if index == 0 {
                heartbeatTopic = Heartbeat.isHeartbeat(topic: bytes)
                topic.removeAll(keepingCapacity: true)
                topic.append(contentsOf: bytes.prefix(256))
            } else if index == 1 {
                received = heartbeatTopic ? .heartbeat(Array(bytes)) : Received(envelope: bytes)
                if case .event(let event) = received, !event.envelope.type.utf8.elementsEqual(topic) {
                    received = .malformed(
                        "an event on topic '\(String(decoding: topic, as: UTF8.self))' whose type is '\(event.envelope.type)': they must be the same")
                }
            }
        }
        guard let frames else { return nil }
        return frames == 2 ? consume received : .malformed("a message of \(frames) frames")
    }

    private static func raise(_ value: inout Int64, to candidate: Int64) {
        if candidate > value { value = candidate }
    }

    /// Records, once per batch, the furthest seq seen live from each source.
    private func noteHeard(_ heard: [String: Int64]) {
        guard !heard.isEmpty else { return }
        let now = Timestamp()
        state.withLock { state in
            for (source, seq) in heard {
                var progress = state.progress[source, default: SourceProgress()]
                progress.latest = max(progress.latest, seq)
                progress.lastHeard = now
                state.progress[source] = progress
            }
        }
    }

    private func noteMalformed(_ what: String) {
        let count = state.withLock { state -> Int64 in
            state.malformed += 1
            return state.malformed
        }
        if count <= 10 || count % 1000 == 0 {
            logger.warning("skipped a malformed message from the bus", metadata: ["reason": "\(what)", "count": "\(count)"])
        }
    }

    /// Hands the pending events to the database's writer, which applies them and moves their cursors
    /// on in one transaction while this thread reads on. Waits first for the batch before; returns
    /// false, handing over nothing, if that one failed.
    @discardableResult
    private func commit(_ session: inout Session) -> Bool {
        guard settle(&session) else { return false }
        guard !session.pending.isEmpty else { return true }
        let batch = InFlightBatch(events: session.pending, last: session.pendingLast)
        session.clearPending()
        session.inFlight = batch
        database.writer.asyncWriteWithoutTransaction { [self] db in
            let committed = batch.withEvents { write($0, cursors: batch.last, db) }
            batch.finish(committed: committed)
        }
        return true
    }

    /// Waits for the batch in flight and moves the committed cursors on; false if it failed. The
    /// events read since were read on top of it, so they are dropped with it: the cursors that stand
    /// then lag the stream, and everything after them is fetched again as a gap.
    @discardableResult
    private func settle(_ session: inout Session) -> Bool {
        guard let batch = session.inFlight else { return true }
        session.inFlight = nil
        guard batch.outcome() else {
            session.clearPending()
            return false
        }
        session.cursors.merge(batch.last) { _, new in new }
        return true
    }

    /// Applies `events` and sets the cursors to `last` in one transaction; whether it committed.
    private func write(_ events: [ReceivedEvent], cursors last: [String: Int64], _ db: Database) -> Bool {
        do {
            // The effects and the cursor commit together, so they stay consistent whatever happens.
            // They need not be durable at once: an OS crash that loses this transaction loses the
            // cursor with it, and the events are fetched again. So nothing waits for this commit's
            // sync (the writer commits with synchronous=NORMAL; the durability gate syncs the log
            // before anything that acknowledges a commit goes out).
            try db.inTransaction {
                try apply(db, events)
                for (source, seq) in last { try SubscriberCursor.set(db, source: source, seq: seq) }
                return .commit
            }
        } catch {
            let failures = state.withLock { state in
                state.applyFailing = true
                return state.applyErrors.occurred()
            }
            if let failures {
                logger.error(
                    "applying events failed; will retry",
                    metadata: ["events": "\(events.count)", "error": "\(error)", "failures_since_last_error": "\(failures)"])
            }
            return false
        }
        committed?(events)
        let recovered = state.withLock { state in
            for (source, seq) in last { state.progress[source, default: SourceProgress()].applied = seq }
            defer { state.applyFailing = false }
            return state.applyFailing
        }
        if recovered { logger.info("applying events again", metadata: ["events": "\(events.count)"]) }
        return true
    }

    /// The events catch-up gathers before it hands them to the writer as one transaction.
    static let catchUpTransaction = 10_000

    /// How long the first catch-up pass waits for a source's first page.
    static let firstAnswer = Duration.seconds(1)

    /// Throws unless `events` are `source`'s, numbered on from `after` without a gap. Read in place:
    /// this runs for every page a catch-up fetches.
    private func checkContiguous(_ events: [ReceivedEvent], after: Int64, source: String) throws {
        var knownSource: String?
        try events.withUnsafeBufferPointer { events in
            for index in events.indices {
                let expected = after + 1 + Int64(index)
                // A page's events all name one source: its name is looked up once.
                let published = events[index].envelope.source
                let fromSource = published == knownSource || names[published]?.name == source
                guard events[index].envelope.seq == expected, fromSource else {
                    throw CommandError(.internal, "\(source)'s log skipped from \(expected - 1) to \(events[index].envelope.seq)")
                }
                knownSource = published
            }
        }
    }

    /// Fetches and applies `source`'s events after the cursor, through `through` (or the log's end).
    /// `firstAnswer`: how long to wait for the first page, when not the request timeout.
    private func fill(
        _ source: String, through: Int64?, firstAnswer: Duration? = nil, session: inout Session, clients: inout [String: ControlClient]
    ) {
        guard let followed = sources[source] else { return }
        commit(&session)
        do {
            let client = try self.client(of: followed, in: &clients)
            // One page is always in flight while the last one is applied, so that the source reads
            // its log while we write ours.
            func request(after: Int64) throws(ControlClientError) -> CommandRequest? {
                if let through, after >= through { return nil }
                let request = CommandRequest(
                    id: "catch-up-\(EventID.next())", command: "events.since",
                    args: ["after_seq": .int(after), "limit": .int(min(5000, through.map { $0 - after } ?? 5000))])
                try client.send(request)
                return request
            }
            var inFlight = try request(after: session.cursor(source))
            var wait = firstAnswer
            while let current = inFlight, !isStopping {
                var page = try SincePage.decode(client.receive(matching: current.id, within: wait))
                session.busHandshakes.drain()
                wait = nil
                let after = session.cursor(source)
                let lastInPage = page.events.last?.envelope.seq ?? after
                inFlight = page.hasMore && !page.events.isEmpty ? try request(after: lastInPage) : nil
                // Those already queued or applied are left out; the rest must follow on without a gap.
                page.events.removeFirst(page.events.prefix { $0.envelope.seq <= after }.count)
                try checkContiguous(page.events, after: after, source: source)
                let fetched = Int64(page.events.count)
                session.append(page: &page.events, source: source)
                // Pages are applied two or more to a transaction while more follow: a history with
                // indexes on random keys (subject, flow) rewrites nearly as many index pages for one
                // page of events as for two, so larger transactions cut catch-up's write volume
                // (measured in docs/benchmarks.md, with what larger ones cost in memory).
                if session.pending.count >= Self.catchUpTransaction || inFlight == nil {
                    guard commit(&session) else {
                        throw CommandError(.unavailable, "applying \(source)'s events failed (the log says why); will fetch them again")
                    }
                }
                session.retryAt[source] = nil
                session.backoff[source] = nil
                state.withLock { state in
                    state.progress[source, default: SourceProgress()].eventsFetched += fetched
                    state.progress[source, default: SourceProgress()].latest = max(state.progress[source]?.latest ?? 0, page.lastSeq)
                    state.progress[source, default: SourceProgress()].lastError = nil
                    // An answer from its control socket is as good a sign of life as a heartbeat.
                    state.progress[source, default: SourceProgress()].lastHeard = Timestamp()
                }
            }
        } catch {
            session.clearPending()
            clients[source] = nil  // a fresh socket next time: the old one may hold a stale reply
            let backoff = min((session.backoff[source] ?? .milliseconds(500)) * 2, .seconds(30))
            session.backoff[source] = backoff
            session.retryAt[source] = ContinuousClock.now + backoff
            // A refused key or a wrong server key looks like a timeout to this client: the check says which.
            let reason = "\(ControlClientError.explaining(error, context: context))"
            state.withLock { $0.progress[source, default: SourceProgress()].lastError = reason }
            logger.warning("catch-up failed; will retry", metadata: ["source": "\(source)", "error": "\(reason)"])
        }
    }
}

extension DurableSubscriber {
    /// The control client of `source`, opened on first use and kept.
    private func client(of source: FollowedSource, in clients: inout [String: ControlClient]) throws -> ControlClient {
        if let existing = clients[source.name] { return existing }
        let client = try ControlClient(context: context, service: source.name, endpoint: source.control, timeout: requestTimeout)
        clients[source.name] = client
        return client
    }

    /// Two events claim `source`'s `seq` with different ids: the one applied and one heard since. The
    /// source's own log, read over its authenticated control socket, says which is genuine. Either
    /// way something upstream let a forgery through, so it raises an integrity alarm (an error line,
    /// and a count in `status`); when the applied one was the forgery, the source's copy replaces it
    /// where the consumer can (`replace`).
    private func settleCollision(
        _ source: String, seq: Int64, applied: String, heard: String, session: inout Session, clients: inout [String: ControlClient]
    ) {
        guard let followed = sources[source] else { return }
        var verdict: String
        var genuine: ReceivedEvent?
        do {
            let client = try self.client(of: followed, in: &clients)
            let request = CommandRequest(
                id: "verify-\(EventID.next())", command: "events.since", args: ["after_seq": .int(seq - 1), "limit": .int(1)])
            try client.send(request)
            genuine = try SincePage.decode(client.receive(matching: request.id)).events.first { $0.envelope.seq == seq }
            switch genuine?.envelope.id {
            case applied?: verdict = "the event heard as \(heard) is not in \(source)'s log; it was dropped"
            case heard?: verdict = "the event applied as \(applied) is not in \(source)'s log; \(heard) is"
            default: verdict = "neither \(applied) (applied) nor \(heard) (heard) is in \(source)'s log"
            }
        } catch {
            clients[source] = nil
            verdict = "\(source)'s log could not be read to settle it: \(error)"
        }
        if var genuine, genuine.envelope.id == heard, let replace {
            genuine.source = source
            do {
                try database.writer.write { db in try replace(db, applied, genuine) }
                session.recent[source]?.record(seq, heard)
                verdict += "; the source's copy replaced it"
            } catch {
                verdict += "; replacing it failed: \(error)"
            }
        }
        let alarm = "seq \(seq) of \(source) arrived with two ids: \(verdict)"
        state.withLock { state in
            state.progress[source, default: SourceProgress()].integrityAlarms += 1
            state.progress[source, default: SourceProgress()].lastAlarm = alarm
        }
        logger.error("integrity alarm: an event was forged", metadata: ["source": "\(source)", "seq": "\(seq)", "detail": "\(alarm)"])
    }
}

/// A followed service's name, with the prefix every type of its events has (`children.`).
struct SourceName {
    let name: String
    let typePrefix: [UInt8]

    init(_ name: String) {
        self.name = name
        typePrefix = Array("\(name).".utf8)
    }
}

/// The ids of the last events applied from one source, by seq: enough to tell a late copy (same id)
/// from a collision (another id under the same seq) without a read per event.
struct RecentIDs {
    private var slots = [(seq: Int64, id: String)](repeating: (0, ""), count: 4096)

    mutating func record(_ seq: Int64, _ id: String) {
        slots[Int(seq & 4095)] = (seq, id)
    }

    /// Records `events`, a page whose seqs run on without a gap, read in place: its last 4,096, since
    /// any before them would take the slot of one of those.
    mutating func record(_ events: [ReceivedEvent]) {
        events.withUnsafeBufferPointer { events in
            for index in max(0, events.count - slots.count)..<events.count {
                record(events[index].envelope.seq, events[index].envelope.id)
            }
        }
    }

    func id(of seq: Int64) -> String? {
        let slot = slots[Int(seq & 4095)]
        return slot.seq == seq ? slot.id : nil
    }
}

/// Runs a durable subscriber for the lifetime of the service group.
public struct DurableSubscriberService: Service {
    let subscriber: DurableSubscriber

    public init(_ subscriber: DurableSubscriber) { self.subscriber = subscriber }

    public func run() async throws {
        try await subscriber.start()
        try? await gracefulShutdown()
        await subscriber.stop()
    }
}
