import BanshiKit
import Foundation
import Synchronization

/// Commit-to-applied latency of the events the sink applied: from the `emitted_ns` stamp loadgen
/// writes inside its transaction to the moment the sink's own transaction has committed. Each event's
/// latency is also split where the sink's transaction starts: before it, loadgen's commit and sync,
/// the bus and the sink's receiving; after it, the sink's own transaction and commit. Where a tail
/// lies then shows in which part's percentiles carry it.
final class LatencyRecorder: Sendable {
    /// Per event, in nanoseconds: from its stamp to the start of the sink's transaction, and from
    /// there to the commit. The whole latency is their sum.
    private struct Samples {
        var beforeApply: [Int64] = []
        var inApply: [Int64] = []
    }

    private let samples = Mutex(Samples())
    /// When the transaction now running began to apply its events (the writer applies one at a time).
    private let applyStarted = Atomic<Int64>(0)

    /// Called as the sink's transaction starts to apply a batch.
    func applying() { applyStarted.store(WallClock.nanoseconds(), ordering: .relaxed) }

    func record(_ events: [ReceivedEvent]) {
        let now = WallClock.nanoseconds()
        let started = applyStarted.load(ordering: .relaxed)
        var emitted: [Int64] = []
        emitted.reserveCapacity(events.count)
        // Indexing reads each event's `data` alone; `compactMap` copied whole envelopes.
        for index in events.indices {
            if case .int(let stamp)? = events[index].envelope.data["emitted_ns"] { emitted.append(stamp) }
        }
        guard !emitted.isEmpty else { return }
        samples.withLock { samples in
            for stamp in emitted { samples.beforeApply.append(started - stamp) }
            samples.inApply.append(contentsOf: repeatElement(now - started, count: emitted.count))
        }
    }

    func reset() { samples.withLock { $0 = Samples() } }

    /// Percentiles in microseconds: of the whole latency, and (`before_apply_…`, `in_apply_…`) of its parts.
    func report() -> JSONValue {
        let samples = samples.withLock { $0 }
        guard !samples.beforeApply.isEmpty else { return ["count": 0] }
        let total = zip(samples.beforeApply, samples.inApply).map { ($0 + $1) / 1000 }.sorted()
        let beforeApply = samples.beforeApply.map { $0 / 1000 }.sorted()
        let inApply = samples.inApply.map { $0 / 1000 }.sorted()
        func percentile(_ sorted: [Int64], _ fraction: Double) -> JSONValue {
            .int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
        }
        return [
            "count": .int(Int64(total.count)), "p50_us": percentile(total, 0.5), "p99_us": percentile(total, 0.99),
            "p999_us": percentile(total, 0.999), "max_us": .int(total.last!),
            "before_apply_p50_us": percentile(beforeApply, 0.5), "before_apply_p99_us": percentile(beforeApply, 0.99),
            "in_apply_p50_us": percentile(inApply, 0.5), "in_apply_p99_us": percentile(inApply, 0.99),
        ]
    }

    var commands: [CommandSpec] {
        [
            CommandSpec("latency.report", "commit-to-applied latency percentiles of the events applied since the last reset") { _ in
                self.report()
            },
            CommandSpec("latency.reset", "forget the latency samples recorded so far") { _ in
                self.reset()
                return [:]
            },
        ]
    }
}
