import Dispatch
import Synchronization

/// A batch of events handed to the database's writer queue, whose transaction may not have
/// finished yet.
///
/// The subscriber's thread reads and decodes the next batch while the writer applies this one, so
/// that receiving and applying use both cores. It waits for this batch's `outcome` before handing
/// over the next: at most one is in flight, and batches commit in order.
///
/// The events go back to the subscriber's thread with the outcome, to be freed there: they were
/// allocated there, and glibc frees a block into the arena it came from, under that arena's lock.
/// Freed on the writer, a batch of 10,000 envelopes took that lock once per object while the
/// subscriber's thread was allocating the next batch from the same arena, and the writer spent a
/// third of a catch-up waiting for it (docs/benchmarks.md).
final class InFlightBatch: Sendable {
    /// The last `seq` of each source in the batch: the cursors it commits.
    let last: [String: Int64]
    private let state: Mutex<(events: [ReceivedEvent], committed: Bool)>
    private let finished = DispatchSemaphore(value: 0)

    init(events: [ReceivedEvent], last: [String: Int64]) {
        self.last = last
        state = Mutex((events, false))
    }

    /// On the writer's queue: runs `body` with the events, keeping no reference to them after it.
    func withEvents<Result>(_ body: ([ReceivedEvent]) -> Result) -> Result {
        state.withLock { body($0.events) }
    }

    /// Called once, on the writer's queue, when the transaction has committed or failed.
    func finish(committed: Bool) {
        state.withLock { $0.committed = committed }
        finished.signal()
    }

    /// Waits until the batch has finished (once: the subscriber asks each batch once); whether it
    /// committed. The events are let go here, on the caller's thread.
    func outcome() -> Bool {
        finished.wait()
        let (events, committed) = state.withLock { state in
            defer { state.events = [] }
            return (state.events, state.committed)
        }
        _ = consume events
        return committed
    }
}
