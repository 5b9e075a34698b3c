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
        /// CPU time of the driver's own thread while it sent and received, in seconds.
        var driverCPUSeconds = 0.0
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
        // Built before the clock starts, as a load generator does: the driver shares the two cores with
        // the services it measures, and building each request in the loop (and parsing each reply
        // whole) cost it 11–15 µs of CPU a command against 5–6 now (docs/benchmarks.md).
        let requests = (0..<total).map { index in
            let request = make(index)
            return (id: request.id, bytes: Array(request.serialized().utf8))
        }
        var result = Result()
        let cpuBefore = threadCPUSeconds()
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
                    let request = requests[sent]
                    outstanding[request.id] = .now
                    try socket.send(parts: [[], request.bytes])
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
                guard let body = parts.last, let (id, failure) = outcome(body), let sentAt = outstanding.removeValue(forKey: id)
                else { continue }
                let now = ContinuousClock.now
                if let failure {
                    result.failures += 1
                    if result.failureSamples.count < 3 { result.failureSamples.append(failure.message) }
                } else if keepAnswered {
                    result.answered[id] = now
                }
                result.latencies.append((now - sentAt).microseconds)
            }
        }
        result.elapsed = ContinuousClock.now - start
        result.driverCPUSeconds = threadCPUSeconds() - cpuBefore
        return result
    }

    /// A reply's id, and its error if it failed. A success reply's members come in the contract's
    /// sorted order (`id`, `ok`, `result`), so it is known by its first bytes and only its id is read:
    /// the driver does not parse the results it does not look at.
    private static func outcome(_ body: [UInt8]) -> (id: String, failure: CommandError?)? {
        if body.starts(with: successPrefix) {
            return CommandReply.peekID(body).map { ($0, nil) }
        }
        guard let reply = try? CommandReply.parse(body), let id = reply.id else { return nil }
        if case .failure(let error) = reply.outcome { return (id, error) }
        return (id, nil)
    }

    private static let successPrefix = Array(#"{"id":"#.utf8)

    /// CPU time of the calling thread, user and system.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The `fraction` percentile of `values`, sorted here.
    static func percentile(_ values: [Int64], _ fraction: Double) -> Int64 {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
