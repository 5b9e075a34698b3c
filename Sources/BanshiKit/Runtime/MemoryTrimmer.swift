#if canImport(Glibc)
import Glibc
#endif
import Logging
import ZeroMQ

/// Gives memory back to the system once a storm of connections is over.
///
/// Each connection costs libzmq some hundred kilobytes of buffers, allocated in many small pieces. When
/// thousands close, glibc's allocator keeps the freed pieces for reuse: measured on a service, five
/// cycles of 4,000 idle connections left it at 268 MB from 30 MB, none given back, and `malloc_trim(0)`
/// brought it back to 33 MB. So a socket thread that follows its monitor counts disconnects, and once
/// at least `threshold` have closed and the socket has been quiet (no accept, no disconnect) for
/// `quiet`, it trims. One peer can cost as much as a storm: a bus subscriber that never reads leaves up
/// to a high-water mark of events queued, freed when it leaves. So a single disconnect also trims once
/// things are quiet if the resident set stands `growth` MiB above where the last trim left it. A trim
/// takes milliseconds and happens at most once per storm. Owned by its thread.
public struct MemoryTrimmer {
    public static let threshold = 64
    public static let growth = 32
    public static let quiet = Duration.seconds(2)

    private var disconnects = 0
    /// Whether churn happened since the resident set was last compared with `floor`.
    private var unchecked = false
    private var lastChurn = ContinuousClock.now
    /// The resident set (MiB) when the trimmer started or after its last trim.
    private var floor: Int
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
        self.floor = Self.residentMegabytes()
    }

    /// Notes a connection accepted or closed.
    public mutating func observe(_ event: MonitorEvent) {
        switch event.kind {
        case .disconnected:
            disconnects += 1
            unchecked = true
            lastChurn = .now
        case .accepted:
            lastChurn = .now
        default:
            break
        }
    }

    /// Trims if a storm has closed and settled; call on every round of the loop.
    public mutating func trimIfSettled() {
        guard unchecked, ContinuousClock.now - lastChurn >= Self.quiet else { return }
        unchecked = false
        let before = Self.residentMegabytes()
        guard disconnects >= Self.threshold || before >= floor + Self.growth else { return }
        _ = Self.mallocTrim?(0)
        floor = Self.residentMegabytes()
        logger.info(
            "memory returned to the system after connections closed",
            metadata: ["closed": "\(disconnects)", "rss_mb_before": "\(before)", "rss_mb_after": "\(floor)"])
        disconnects = 0
    }

    /// glibc's `malloc_trim` (without glibc the trimmer does nothing).
    private static let mallocTrim = AllocatorTuning.glibcFunction("malloc_trim", as: (@convention(c) (Int) -> Int32).self)

    /// The resident set in MiB of process `pid` (this one by default), from `/proc/<pid>/statm`; 0
    /// where it cannot be read.
    public static func residentMegabytes(of pid: Int32? = nil) -> Int {
        // /proc files report a size of 0, so read them with read(2) rather than Foundation's file APIs.
        let descriptor = open("/proc/\(pid.map(String.init) ?? "self")/statm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return 0 }
        let fields = String(decoding: buffer[..<count], as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
    }
}
