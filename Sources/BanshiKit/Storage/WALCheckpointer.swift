import Dispatch
import SQLite
import Synchronization

/// Copies the write-ahead log back into the database file from a connection and a thread of its own.
///
/// SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 frames, and that commit,
/// with the replies and events waiting on it, then also waits while the database file is written and
/// synced: a stall of about 5 ms every 150 or so commands on the benchmark machine, which made the
/// commands' 99th percentile (docs/benchmarks.md). Here the writer's commit hook only notes that the
/// log holds `threshold` frames and wakes this thread, which runs a PASSIVE checkpoint beside the
/// writer, which it never blocks (and every `interval` looks again, should a wake-up be missed). It
/// is as durable as the automatic one: SQLite syncs the log before it copies pages and syncs the file
/// before the log may be reused. Under a sustained load the log grows while a checkpoint runs; the
/// commit that finds `backstop` frames checkpoints inline, as SQLite would have, finishing what this
/// thread copied, so the log stays bounded.
///
/// The thread is woken by the commit rather than left to its next `interval`: when it only looked
/// every 100 ms, a busy writer reached the backstop every few hundred milliseconds and its commit then
/// waited for the copy and the sync (the paced 20,000 events/s p99 was 3.1–3.5 ms with a p999 of
/// 10–18 ms, and reporting's catch-up spent 2 s of 13 in such commits; woken, 0.7–1.3 ms and 1.4–2.0
/// ms, docs/benchmarks.md).
///
/// After a round the thread pauses for `pause` (5 ms), and the next round starts at the first commit
/// to ring after the pause; a ring set aside during the pause is taken once the writer has been quiet
/// for `interval`. Without the pause, rounds under load ran back to back and copied a page that every
/// commit rewrites once per commit (why, with the figures: docs/architecture.md).
///
/// Both limits are sizes of the log, counted in the database's pages: the threshold 1 MiB, the
/// backstop 120 MiB (30,000 pages of 4 KiB, 7,500 of the 16 KiB reporting's database is made with;
/// a log of 120–150 MiB at the peak, with the transaction that crosses it). A continuous bulk write (a
/// subscriber catching up in transactions of 10,000 events) never leaves the log room to start over,
/// so it reaches the backstop whatever it is; at a third of it reporting's writer spent a twelfth of
/// a catch-up copying pages inline, and its catch-up ran about 5% slower. Paced loads never reach it.
final class WALCheckpointer: Sendable {
    /// The log's size that makes the next round checkpoint: 1 MiB (256 pages of 4 KiB).
    static let thresholdBytes = 1 << 20
    /// The log's size past which the committing connection checkpoints itself: 30,000 pages of 4 KiB.
    static let backstopBytes = 30_000 * 4_096
    /// Frames (pages) in the log that make the next round checkpoint.
    let threshold: Int32
    /// Frames in the log past which the committing connection checkpoints itself.
    let backstop: Int32
    private let interval: Duration
    /// The least time between the end of one round and the start of the next.
    private let pause: Duration
    private let connection: DatabaseQueue
    private let due = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let doorbell = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let rounds = Atomic<Int>(0)
    private let pausesRungIn = Atomic<Int>(0)
    private let pauseCut = Atomic<Bool>(false)

    /// Checkpoints this thread has started (tests tell its copies from a commit's).
    var checkpointsRun: Int { rounds.load(ordering: .acquiring) }
    /// Pauses at whose end a ring was set aside (tests tell whether their commit came in the pause).
    var ringsSetAside: Int { pausesRungIn.load(ordering: .acquiring) }

    /// Ends the pause under way now (tests hold a long pause open while they commit in it).
    func endPause() {
        pauseCut.store(true, ordering: .releasing)
        doorbell.signal()
    }

    /// Opens a connection to `path` (already migrated) and starts the thread. `threshold` and
    /// `backstop` are in frames; by default, `thresholdBytes` and `backstopBytes` over the database's
    /// page size.
    init(
        path: String, interval: Duration = .milliseconds(100), pause: Duration = .milliseconds(5), threshold: Int32? = nil,
        backstop: Int32? = nil
    ) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "checkpointer"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        connection = try DatabaseQueue(path: path, configuration: configuration)
        let pageSize = try connection.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        self.interval = interval
        self.pause = pause
        self.threshold = threshold ?? Int32(Self.thresholdBytes / pageSize)
        self.backstop = backstop ?? Int32(Self.backstopBytes / pageSize)
        startThread(named: "banshi-wal-ckpt") { [self] in run() }
    }

    private func run() {
        // A round was due during the last pause and its ring set aside.
        var setAside = false
        while true {
            let rang = doorbell.wait(timeout: .now() + interval.timeInterval) == .success
            if stopping.load(ordering: .acquiring) { break }
            // Due at a commit's ring; or, for a ring set aside, once the writer has been quiet for `interval`.
            guard due.exchange(false, ordering: .acquiringAndReleasing) || (setAside && !rang) else { continue }
            setAside = false
            // A PASSIVE checkpoint copies what it can and never waits; whatever it leaves, the
            // next round or the backstop takes.
            // Counted before it copies: whoever sees the file grown sees the round that did it.
            rounds.add(1, ordering: .releasing)
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            // The pause: commits meanwhile only mark a round due. Their rings are then set aside, so
            // that the next round starts at the next commit's ring.
            let resume = DispatchTime.now() + pause.timeInterval
            while !stopping.load(ordering: .acquiring), !pauseCut.load(ordering: .acquiring), DispatchTime.now() < resume {
                _ = doorbell.wait(timeout: resume)
            }
            pauseCut.store(false, ordering: .releasing)
            if stopping.load(ordering: .acquiring) { break }
            // The rings first, then the mark: a commit between the two then rings again.
            while doorbell.wait(timeout: .now()) == .success {}
            setAside = due.exchange(false, ordering: .acquiringAndReleasing)
            if setAside { pausesRungIn.add(1, ordering: .releasing) }
        }
        finished.signal()
    }

    /// Makes `db` (the writer) report the log's size after each commit, in place of SQLite's
    /// automatic checkpoint. The checkpointer must outlive the connection.
    /// `onCommit` runs first, after every commit (the durability gate counts them there).
    func attach(to db: Database, onCommit: (@Sendable () -> Void)? = nil) {
        db.onWALCommit { [unowned self] frames in
            onCommit?()
            return committed(frames: frames)
        }
    }

    /// Called on the writer after each commit, with the frames now in the log: whether the commit
    /// checkpoints inline (past the backstop).
    private func committed(frames: Int32) -> Bool {
        if frames >= backstop { return true }
        guard frames >= threshold else { return false }
        // One wake-up per round is enough: the commits that find a round already due leave it be.
        if !due.exchange(true, ordering: .acquiringAndReleasing) { doorbell.signal() }
        return false
    }

    /// Stops the thread and closes its connection. Later calls do nothing.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        doorbell.signal()
        finished.wait()
        try? connection.close()
    }
}
