import Synchronization

/// Hands work from one thread or task to a consumer task that takes everything waiting at once.
///
/// The producer appends and rings; the consumer awaits a ring and takes the whole queue. One ring may
/// stand for many appends, so a consumer that was busy finds all that arrived meanwhile in one take:
/// that is what lets group commit put many commands into one transaction.
final class HandOffQueue<Element: Sendable>: Sendable {
    /// Rings when elements are waiting (`takeAll`); ends after `finish`.
    let rings: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation
    private let queue = Mutex<[Element]>([])

    init() {
        (rings, ring) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Appends `elements` in order and wakes the consumer.
    func put(_ elements: [Element]) {
        guard !elements.isEmpty else { return }
        queue.withLock { $0.append(contentsOf: elements) }
        ring.yield()
    }

    /// Everything put since the last take, in order.
    func takeAll() -> [Element] {
        queue.withLock { queued in
            defer { queued.removeAll(keepingCapacity: true) }
            return queued
        }
    }

    /// Ends `rings` once the consumer has taken the last ring; what was put before stays to be taken.
    func finish() {
        ring.finish()
    }

    /// Calls `body` with each take until `finish`, then once more with whatever was put after the last
    /// ring.
    func consume(_ body: ([Element]) async -> Void) async {
        for await _ in rings {
            let taken = takeAll()
            if !taken.isEmpty { await body(taken) }
        }
        let rest = takeAll()
        if !rest.isEmpty { await body(rest) }
    }
}
