#if canImport(Glibc)
import Glibc
#endif
import Logging
import ZeroMQ

/// How many connections one listening socket keeps open at most, so that a flood of peers cannot take
/// the descriptors the service needs for its own sockets and database ("Too many open files").
///
/// libzmq has no per-socket connection limit, so the socket thread follows the socket's monitor: each
/// accepted connection is counted, each disconnect uncounted, and a connection accepted past the cap is
/// cut (`shutdown(2)`) at once. The refused peer's libzmq reconnects later and is admitted when a place
/// is free. Owned by its thread.
public struct ConnectionCap {
    /// Descriptors kept back from connections for the service's own sockets, database, logs and timers.
    public static let reserve = 128

    public let limit: Int
    private var open: Set<Int32> = []
    private var warnings = WarningThrottle()
    private let socketName: String
    private let logger: Logger

    public init(limit: Int, socketName: String, logger: Logger) {
        self.limit = limit
        self.socketName = socketName
        self.logger = logger
    }

    /// The cap for `configured` (0: none asked for) under the process's descriptor limit less the reserve,
    /// that limit split evenly between `sockets` listening sockets (the bus has two).
    public static func limit(configured: Int, sharedBy sockets: Int = 1) -> Int {
        let available = max(16, (DescriptorLimit.current - reserve) / max(1, sockets))
        return configured > 0 ? min(configured, available) : available
    }

    /// Counts what the monitor reports; cuts an accepted connection past the cap. A warning names the
    /// cap when it is first hit, then at most every ten seconds with how many were refused meanwhile.
    public mutating func observe(_ event: MonitorEvent) {
        let descriptor = Int32(bitPattern: event.value)
        switch event.kind {
        case .accepted:
            guard open.count >= limit else {
                open.insert(descriptor)
                return
            }
            Socket.cutConnection(descriptor: descriptor)
            if let refused = warnings.occurred() {
                logger.warning(
                    "connection refused: connection cap reached",
                    metadata: ["socket": "\(socketName)", "cap": "\(limit)", "refused": "\(refused)"])
            }
        case .disconnected, .closed:
            open.remove(descriptor)
        default:
            break
        }
    }

    /// Connections open now.
    public var openCount: Int { open.count }
}

/// The process's open-file limit (`RLIMIT_NOFILE`).
public enum DescriptorLimit {
    /// The soft limit now (`rlim_t.max` is `RLIM_INFINITY`, which Swift cannot import).
    public static var current: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return limit.rlim_cur == rlim_t.max ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// Raises the soft limit to the hard one (systemd's `LimitNOFILE` or the shell's `ulimit -Hn`), as
    /// far as 65,536; returns the soft limit in force afterwards.
    @discardableResult
    public static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return current }
        let wanted: rlim_t = limit.rlim_max == rlim_t.max ? 65_536 : min(limit.rlim_max, 65_536)
        if wanted > limit.rlim_cur {
            limit.rlim_cur = wanted
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return current
    }
}
