import BanshiKit
import BanshiTesting
import Foundation
import SQLite
import ZeroMQ

/// The ceilings: raw libzmq PUB/SUB and raw SQLite batched inserts, in the same harness; and the
/// envelope codec alone, the CPU every event costs its publisher and each subscriber before any I/O.
enum Baselines {
    /// A real envelope's bytes, so that the raw runs move what the pipeline moves.
    static func sampleEnvelope() throws -> [[UInt8]] {
        EventEnvelope(
            service: "loadgen", type: try Topic("loadgen.sample.emitted"), time: Timestamp(), subject: "sample/1",
            data: ["index": 1, "filler": "", "emitted_ns": .int(WallClock.nanoseconds())], seq: 1, causationid: "bench"
        ).frames()
    }

    static func run(_ options: Options, into report: inout Report) async throws {
        let frames = try sampleEnvelope()
        let count = options.events
        let elapsed = try await pubSub(frames: frames, count: count)
        let (perSecond, display) = rate(count, elapsed)
        report.add(
            "raw_pubsub_per_second", "raw libzmq PUB→SUB, tcp loopback", .double(perSecond), display: display,
            note: "\(count.formatted()) messages of \(frames[1].count) bytes")

        let rows = min(count, 200_000)
        let insertElapsed = try sqliteInserts(envelope: String(decoding: frames[1], as: UTF8.self), rows: rows)
        let (insertRate, insertDisplay) = rate(rows, insertElapsed)
        report.add(
            "raw_sqlite_inserts_per_second", "raw SQLite batched insert (WAL, synchronous=FULL)", .double(insertRate),
            display: insertDisplay, note: "\(rows.formatted()) rows, 1,000 per transaction, cached statement")
    }

    /// A batch as one `emit` command appends it: one time, type and cause; an id, seq, subject and
    /// payload each.
    static func sampleBatch(_ count: Int) throws -> [EventEnvelope] {
        let time = Timestamp()
        let type = try Topic("loadgen.sample.emitted")
        return (0..<count).map { index in
            EventEnvelope(
                service: "loadgen", type: type, time: time, subject: "sample/\(index + 1)",
                data: ["index": .int(Int64(index)), "filler": "", "emitted_ns": .int(WallClock.nanoseconds())],
                seq: Int64(index + 1), causationid: "bench-emit-1")
        }
    }

    static func codec(_ options: Options, into report: inout Report) throws {
        let batch = try sampleBatch(10_000)
        let frames = batch.map { $0.serializedBytes() }
        let count = min(options.events, 500_000)
        var bytes = 0
        let serializeStart = ContinuousClock.now
        for index in 0..<count { bytes &+= batch[index % batch.count].serializedBytes().count }
        let serialize = ContinuousClock.now - serializeStart
        // Decoded as a subscriber does: a batch is held until its transaction commits, then freed.
        var seqs: Int64 = 0
        var held: [EventEnvelope] = []
        held.reserveCapacity(10_000)
        let decodeStart = ContinuousClock.now
        for index in 0..<count {
            let envelope = try EventEnvelope.decode(frames[index % frames.count])
            seqs &+= envelope.seq
            held.append(envelope)
            if held.count == 10_000 { held.removeAll(keepingCapacity: true) }
        }
        held.removeAll()
        let decode = ContinuousClock.now - decodeStart
        let expectedBytes = (0..<count).reduce(0) { $0 + frames[$1 % frames.count].count }
        let expectedSeqs = (0..<count).reduce(Int64(0)) { $0 + batch[$1 % batch.count].seq }
        guard bytes == expectedBytes, seqs == expectedSeqs else {
            throw CommandError(.internal, "the codec run did not round-trip its envelopes")
        }
        let micros = [serialize, decode].map { $0.timeInterval / Double(count) * 1e6 }
        report.add(
            "codec_us_per_event", "envelope codec, in process (serialize / decode and check)",
            ["serialize": .double(micros[0]), "decode": .double(micros[1])],
            display: micros.map { String(format: "%.2f µs", $0) }.joined(separator: " / "),
            note: "\(count.formatted()) envelopes, in batches of 10,000 as one command appends them and a subscriber holds them, about \(frames[0].count) bytes each")
    }

    /// Publishes `count` messages and times how long the subscriber takes to receive them all.
    static func pubSub(frames: [[UInt8]], count: Int) async throws -> Duration {
        let context = try Context()
        let subscriber = try Socket(context, .sub)
        try subscriber.setReceiveHighWaterMark(0)  // unlimited: the ceiling, not the drop policy
        try subscriber.subscribe("")
        try subscriber.bind("tcp://127.0.0.1:*")
        let endpoint = try subscriber.lastEndpoint()
        Thread {
            do {
                let publisher = try Socket(context, .pub)
                try publisher.setSendHighWaterMark(0)
                try publisher.connect(endpoint)
                // PUB drops until the subscription has arrived (the slow joiner): let it settle first.
                Thread.sleep(forTimeInterval: 0.5)
                for _ in 0..<count { try publisher.send(parts: frames) }
                try publisher.setLinger(.seconds(30))
            } catch {
                FileHandle.standardError.write(Data("bench: publisher failed: \(error)\n".utf8))
            }
        }.start()
        _ = try subscriber.receiveMultipart()
        let start = ContinuousClock.now
        var received = 1
        while received < count {
            if try subscriber.receiveMultipart() != nil { received += 1 }
        }
        return ContinuousClock.now - start
    }

    /// Runs `body` with a new directory of its own, removed afterwards.
    static func withScratchDirectory<T>(_ body: (_ directory: String) throws -> T) throws -> T {
        let directory = try TemporaryDirectory(prefix: "banshi-bench")
        defer { directory.remove() }
        return try body(directory.path)
    }

    /// Runs `body` on the writer of an empty database in a scratch directory, opened as every service
    /// opens its own (`ServiceDatabase`: WAL, synchronous=NORMAL, the checkpointer on a thread of its
    /// own) with the source's page size, with `source` attached as `src`: what the SQLite-alone rows
    /// write into. The database is held until `body` returns (its checkpointer stops when it goes).
    static func withReplica<T>(of source: String, _ body: (Database) throws -> T) throws -> T {
        let probe = try DatabaseQueue(path: source)
        let pageSize = try probe.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
        try probe.close()
        return try withScratchDirectory { directory in
            let replica = try ServiceDatabase(path: "\(directory)/replay.sqlite", pageSize: pageSize)
            return try replica.writer.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [source])
                defer { try? db.execute(sql: "DETACH DATABASE src") }
                return try body(db)
            }
        }
    }

    /// Inserts `rows` envelope-sized rows, 1,000 per transaction, with synchronous=FULL, through
    /// SQLite's default VFS as it ships (not the services' gathered log writes): the ceiling stays a
    /// measure of the machine, comparable from one build to the next.
    static func sqliteInserts(envelope: String, rows: Int) throws -> Duration {
        try withScratchDirectory { directory in
            var configuration = Configuration()
            configuration.gathersLogWrites = false
            configuration.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            let pool = try DatabasePool(path: "\(directory)/raw.sqlite", configuration: configuration)
            try pool.write { db in
                try db.execute(sql: "CREATE TABLE raw (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, envelope TEXT NOT NULL)")
            }
            let start = ContinuousClock.now
            var seq = 0
            while seq < rows {
                try pool.write { db in
                    let statement = try db.cachedStatement(sql: "INSERT INTO raw (seq, id, envelope) VALUES (?, ?, ?)")
                    for _ in 0..<1000 where seq < rows {
                        seq += 1
                        try statement.execute(arguments: [seq, "id-\(seq)", envelope])
                    }
                }
            }
            let elapsed = ContinuousClock.now - start
            try pool.close()
            return elapsed
        }
    }
}
