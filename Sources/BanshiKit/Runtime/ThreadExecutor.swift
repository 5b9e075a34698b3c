import Dispatch
import Synchronization

/// A task executor with one thread of its own: a task that prefers it runs there, and may block there.
///
/// The dispatcher's running stage prefers one, so that a group's transaction runs on that thread
/// synchronously. Awaiting the database writer's queue instead cost two thread hand-offs a group (to
/// the writer's queue and back to the cooperative pool), each a wake-up of a parked thread, and the
/// running stage competed with the checking stage (then on the pool) for the pool's threads: the
/// services' maximum command rates rose by 13 to 25% on a thread of its own (docs/benchmarks.md).
/// Blocking this thread on the writer's queue takes nothing from the cooperative pool.
final class ThreadExecutor: TaskExecutor, Sendable {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let doorbell = DispatchSemaphore(value: 0)

    init(name: String) {
        startThread(named: name) { [self] in run() }
    }

    func enqueue(_ job: UnownedJob) {
        queue.withLock { $0.jobs.append(job) }
        doorbell.signal()
    }

    /// Lets the thread end once the jobs queued so far have run; call when no task prefers it any more.
    func shutdown() {
        queue.withLock { $0.stopping = true }
        doorbell.signal()
    }

    private func run() {
        while true {
            doorbell.wait()
            // Everything queued, including what the jobs queue as they run; then wait for the next ring.
            while true {
                let (jobs, stopping) = queue.withLock { queue in
                    defer { queue.jobs.removeAll(keepingCapacity: true) }
                    return (queue.jobs, queue.stopping)
                }
                if jobs.isEmpty {
                    if stopping { return }
                    break
                }
                for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            }
        }
    }
}
