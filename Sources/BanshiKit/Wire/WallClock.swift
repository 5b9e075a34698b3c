import Glibc

/// Wall-clock time in nanoseconds, comparable across processes on one host: loadgen stamps events
/// with it and the sink measures commit-to-applied latency against it.
public enum WallClock {
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
