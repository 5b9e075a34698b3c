import Synchronization

/// What a service's commands came to, for `status` and the Prometheus metrics reporting writes: a count
/// per command and outcome (`ok` or the error code), and a histogram of the time from the batch's
/// arrival to the reply.
final class CommandMetrics: Sendable {
    /// The histogram's upper bounds in seconds (`+Inf` is the count).
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var outcomes: [String: [String: Int64]] = [:]
        var buckets = [Int64](repeating: 0, count: CommandMetrics.bounds.count)
        var count: Int64 = 0
        var sum: Double = 0
    }

    private let state = Mutex(State())

    /// Counts one reply. Commands that do not exist are counted under `-` (a name a peer made up must
    /// not grow the table).
    func record(command: String?, known: Bool, outcome: String, seconds: Double) {
        state.withLock { state in
            state.outcomes[known ? command ?? "-" : "-", default: [:]][outcome, default: 0] += 1
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { state.buckets[index] += 1 }
            state.count += 1
            state.sum += seconds
        }
    }

    /// `status`'s `commands` (per command, per outcome) and `command_seconds` (cumulative buckets by
    /// upper bound, `count`, `sum`).
    var statusValue: [String: JSONValue] {
        state.withLock { state in
            let outcomes = state.outcomes.mapValues { JSONValue.object($0.mapValues { .int($0) }) }
            var buckets: [String: JSONValue] = [:]
            for (bound, count) in zip(Self.bounds, state.buckets) { buckets[Self.label(bound)] = .int(count) }
            return [
                "commands": .object(outcomes),
                "command_seconds": ["buckets": .object(buckets), "count": .int(state.count), "sum": .double(state.sum)],
            ]
        }
    }

    /// A bound as Prometheus writes `le`: `0.001`, `1`, `2.5`.
    static func label(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : String(bound)
    }
}
