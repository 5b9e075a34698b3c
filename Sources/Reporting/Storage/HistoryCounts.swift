import BanshiKit
import SQLite
import Synchronization

/// How many events the history holds from each source, and each source's last seq: counted once when
/// the service starts and kept as batches commit. `status` is polled and the metrics are rendered
/// every interval; counting a history of millions of rows for each took scans away from a catch-up.
final class HistoryCounts: Sendable {
    struct Source: Sendable {
        var events: Int64 = 0
        var lastSeq: Int64 = 0

        mutating func add(seq: Int64) {
            events += 1
            lastSeq = max(lastSeq, seq)
        }

        mutating func add(_ other: Source) {
            events += other.events
            lastSeq = max(lastSeq, other.lastSeq)
        }
    }

    private let sources: Mutex<[String: Source]>

    /// Counts what `db`'s history holds.
    init(_ db: Database) throws {
        var counted: [String: Source] = [:]
        for row in try History.sources(db) { counted[row.source] = Source(events: row.events, lastSeq: row.lastSeq) }
        sources = Mutex(counted)
    }

    /// Adds a committed batch.
    func add(_ events: [ReceivedEvent]) {
        // Events come in runs from one source: each run is counted apart and added once, and the
        // events are read where the array holds them, not copied out one by one.
        sources.withLock { sources in
            var run: (name: String, counted: Source)?
            events.withUnsafeBufferPointer { events in
                for index in events.indices {
                    let name = events[index].source
                    if run?.name != name {
                        if let run { sources[run.name, default: Source()].add(run.counted) }
                        run = (name, Source())
                    }
                    run!.counted.add(seq: events[index].envelope.seq)
                }
            }
            if let run { sources[run.name, default: Source()].add(run.counted) }
        }
    }

    /// A stored event was replaced by `removed` (0 or 1) rows and one inserted, for `source`.
    func replaced(source: String, removed: Int64) {
        sources.withLock { $0[source, default: Source()].events += 1 - removed }
    }

    /// Events in the whole history.
    var total: Int64 { sources.withLock { $0.values.reduce(0) { $0 + $1.events } } }

    /// Per source, in name order.
    var bySource: [(source: String, events: Int64, lastSeq: Int64)] {
        sources.withLock { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value.events, $0.value.lastSeq) } }
    }
}
