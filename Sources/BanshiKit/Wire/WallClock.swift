import Glibc

/// Wall-clock time in nanoseconds, comparable across processes on one host: loadgen stamps events
/// with it and the sink measures commit-to-applied latency against it; ids hold it. A debug build's is
/// moved as `Timestamp()` is (`TestClockOffset`).
public enum WallClock {
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return (Int64(now.tv_sec) + TestClockOffset.wholeSeconds) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
