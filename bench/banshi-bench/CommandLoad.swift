import BanshiKit
import Foundation
import ZeroMQ

/// Drives one control socket with pipelined requests from a thread of its own.
enum CommandLoad {
    struct Result: Sendable {
        /// Round-trip time of each answered request, in microseconds.
        var latencies: [Int64] = []
        var failures = 0
        var elapsed: Duration = .zero
        /// When each successful request's reply came, by request id (kept when asked for).
        var answered: [String: ContinuousClock.Instant] = [:]
        /// The first failures' messages, for the report's note.
        var failureSamples: [String] = []
    }

    /// Sends `total` requests built by `make`, at `perSecond` (or as fast as `window` outstanding
    /// requests allow), and waits for every reply.
    static func drive(
        context: Context, endpoint: String, total: Int, perSecond: Double?, window: Int, keepAnswered: Bool = false,
        make: @escaping @Sendable (Int) -> CommandRequest
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result {
                    try run(
                        context: context, endpoint: endpoint, total: total, perSecond: perSecond, window: window, keepAnswered: keepAnswered,
                        make: make)
                })
            }.start()
        }
    }

    private static func run(
        context: Context, endpoint: String, total: Int, perSecond: Double?, window: Int, keepAnswered: Bool, make: (Int) -> CommandRequest
    ) throws -> Result {
        let socket = try Socket(context, .dealer)
        try socket.setLinger(.zero)
        try socket.setSendHighWaterMark(0)
        try socket.setReceiveHighWaterMark(0)
        try socket.connect(endpoint)
        let poller = Poller()
        poller.add(socket)
        var result = Result()
        var outstanding: [String: ContinuousClock.Instant] = [:]
        var sent = 0
        let start = ContinuousClock.now
        let interval: Duration? = perSecond.map { .nanoseconds(Int64(1e9 / $0)) }
        var lastReply = ContinuousClock.now
        while sent < total || !outstanding.isEmpty {
            let now = ContinuousClock.now
            var wait: Duration = .milliseconds(50)
            if sent < total && outstanding.count < window {
                let due = interval.map { start + $0 * sent } ?? now
                if due <= now {
                    let request = make(sent)
                    outstanding[request.id] = .now
                    try socket.send(parts: [[], Array(request.serialized().utf8)])
                    sent += 1
                    continue
                }
                wait = min(wait, due - now)
            }
            guard try poller.poll(timeout: wait) > 0 else {
                if ContinuousClock.now - lastReply > .seconds(60) { throw CommandError(.unavailable, "no reply for 60 s") }
                continue
            }
            while let parts = try socket.receiveMultipart(dontWait: true) {
                lastReply = .now
                guard let body = parts.last, let reply = try? CommandReply.parse(body), let id = reply.id,
                    let sentAt = outstanding.removeValue(forKey: id)
                else { continue }
                let now = ContinuousClock.now
                switch reply.outcome {
                case .success: if keepAnswered { result.answered[id] = now }
                case .failure(let error):
                    result.failures += 1
                    if result.failureSamples.count < 3 { result.failureSamples.append(error.message) }
                }
                result.latencies.append((now - sentAt).microseconds)
            }
        }
        result.elapsed = ContinuousClock.now - start
        return result
    }

    /// The `fraction` percentile of `values`, sorted here.
    static func percentile(_ values: [Int64], _ fraction: Double) -> Int64 {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
