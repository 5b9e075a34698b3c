import Foundation
import Synchronization

/// A batch of events handed to the database's writer queue, whose transaction may not have
/// finished yet.
///
/// The subscriber's thread reads and decodes the next batch while the writer applies this one, so
/// that receiving and applying use both cores. It waits for this batch's `outcome` before handing
/// over the next: at most one is in flight, and batches commit in order.
final class InFlightBatch: Sendable {
    /// The last `seq` of each source in the batch: the cursors it commits.
    let last: [String: Int64]
    private let committed = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    init(last: [String: Int64]) {
        self.last = last
    }

    /// Called once, on the writer's queue, when the transaction has committed or failed.
    func finish(committed: Bool) {
        self.committed.withLock { $0 = committed }
        finished.signal()
    }

    /// Waits until the batch has finished (once: the subscriber asks each batch once); whether it committed.
    func outcome() -> Bool {
        finished.wait()
        return committed.withLock { $0 }
    }
}
