import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Holds back whatever acknowledges a commit (a reply, an event on the bus) until the write-ahead log
/// that holds the commit is on disk, syncing the log on a thread of its own.
///
/// With `synchronous=FULL` SQLite syncs the log inside every commit, and the writer, with the group of
/// commands after it, waits the 0.6–1.3 ms of an `fdatasync` on the benchmark machine each time.
/// Here the writer commits with `synchronous=NORMAL` (the log is written, not synced) and goes on to
/// the next group at once, while this thread syncs the log and only then runs what was waiting on it.
/// Nothing is acknowledged any earlier than with FULL: a release queued after a commit runs only
/// after an `fdatasync` of the log that began after the commit was written. One sync covers every
/// commit before it, so under load each sync releases several groups. (A second thread, starting a
/// sync while the first still ran, was measured and gained nothing here: docs/benchmarks.md.)
///
/// A checkpoint never undoes this: SQLite syncs the log before it copies pages back and the database
/// file before the log may start over.
final class DurabilityGate: Sendable {
    private struct State {
        var waiting: [@Sendable () -> Void] = []
        var stopping = false
    }

    /// The log's descriptor, opened read-only: `fdatasync` syncs the file whatever the mode.
    private let log: Int32
    private let state = Mutex(State())
    /// Commits of the writer so far (counted by its WAL hook, which runs after each commit), and
    /// the commits the last sync covered.
    private let commits = Atomic<Int>(0)
    private let covered = Atomic<Int>(0)
    private let syncs = Atomic<Int>(0)
    private let doorbell = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Opens the log of the database at `databasePath` (it must exist: the database is open in WAL
    /// mode) and starts the thread. The directory is synced once, so that the log's name survives a
    /// crash as well as its content.
    init(databasePath: String) throws(SystemError) {
        let logPath = databasePath + "-wal"
        log = open(logPath, O_RDONLY | O_CLOEXEC)
        guard log >= 0 else { throw SystemError("open the write-ahead log", logPath) }
        let directory = Path.parent(of: databasePath)
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        startThread(named: "banshi-wal-sync") { [self] in run() }
    }

    /// Syncs made so far (tests read it).
    var syncCount: Int { syncs.load(ordering: .acquiring) }

    /// Notes that the writer committed; called by its WAL hook, before the commit's caller goes on.
    func noteCommit() {
        commits.add(1, ordering: .releasing)
    }

    /// Runs `body` once every commit made so far is on disk: on the caller's thread at once when they
    /// all are already (a read on a service with nothing to sync: whatever it saw is durable), else on
    /// the gate's thread after its next sync, in the order queued.
    func release(_ body: @escaping @Sendable () -> Void) {
        if commits.load(ordering: .acquiring) <= covered.load(ordering: .acquiring) { return body() }
        enqueue(body)
    }

    /// Queues `body` behind everything queued before it.
    private func enqueue(_ body: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { state in
            if !state.stopping { state.waiting.append(body) }
            return state.stopping
        }
        // After `stop` nothing commits any more, and no thread is left to wait for.
        if stopped { return body() }
        doorbell.signal()
    }

    /// Waits until everything queued so far has run: at shutdown, before the socket loop that
    /// sends the replies closes.
    func waitForReleases() {
        let done = DispatchSemaphore(value: 0)
        enqueue { done.signal() }
        done.wait()
    }

    private func run() {
        while true {
            doorbell.wait()
            let (batch, stopping) = state.withLock { state in
                defer { state.waiting.removeAll(keepingCapacity: true) }
                return (state.waiting, state.stopping)
            }
            if !batch.isEmpty {
                // Read before the sync: every commit counted here has its frames written already.
                // With nothing committed since the last sync, there is nothing to wait for.
                let target = commits.load(ordering: .acquiring)
                if target > covered.load(ordering: .acquiring) {
                    while fdatasync(log) != 0 {
                        // EINTR only; after an I/O error the commits' fate is unknown, and nothing may
                        // claim they are durable.
                        precondition(errno == EINTR, "fdatasync of the write-ahead log failed: \(String(cString: strerror(errno)))")
                    }
                    covered.store(target, ordering: .releasing)
                    syncs.add(1, ordering: .releasing)
                }
                for body in batch { body() }
            }
            if stopping { break }
        }
        finished.signal()
    }

    /// Runs what is waiting (after a last sync), stops the thread and closes the log. Later calls do
    /// nothing.
    func stop() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        doorbell.signal()
        finished.wait()
        close(log)
    }
}
