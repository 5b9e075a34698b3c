import BanshiKit
import Foundation
import Synchronization

/// Commit-to-applied latency of the events the sink applied: from the `emitted_ns` stamp loadgen
/// writes inside its transaction to the moment the sink's own transaction has committed.
final class LatencyRecorder: Sendable {
    private let samples = Mutex<[Int64]>([])

    func record(_ events: [ReceivedEvent]) {
        let now = WallClock.nanoseconds()
        var micros: [Int64] = []
        micros.reserveCapacity(events.count)
        // Indexing reads each event's `data` alone; `compactMap` copied whole envelopes.
        for index in events.indices {
            if case .int(let emitted)? = events[index].envelope.data["emitted_ns"] { micros.append((now - emitted) / 1000) }
        }
        guard !micros.isEmpty else { return }
        samples.withLock { $0.append(contentsOf: micros) }
    }

    func reset() { samples.withLock { $0.removeAll(keepingCapacity: true) } }

    /// Percentiles in microseconds.
    func report() -> JSONValue {
        let sorted = samples.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { return ["count": 0] }
        func percentile(_ fraction: Double) -> JSONValue {
            .int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
        }
        return [
            "count": .int(Int64(sorted.count)), "p50_us": percentile(0.5), "p99_us": percentile(0.99),
            "p999_us": percentile(0.999), "max_us": .int(sorted.last!),
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
