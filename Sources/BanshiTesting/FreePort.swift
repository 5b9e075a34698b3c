import Foundation
import Glibc
import Synchronization

/// Picks TCP ports on 127.0.0.1 that are free right now, never the same one twice in a process.
///
/// They come from outside the kernel's ephemeral range (`net.ipv4.ip_local_port_range`), which the
/// kernel hands out as the local port of every outgoing connection: a port probed free there could be
/// taken by a client's connection before the service bound it (seen as `Address already in use` when a
/// test's bus started).
public enum FreePort {
    private static let handedOut = Mutex<Set<UInt16>>([])

    /// A port the kernel had free a moment ago.
    public static func next() -> UInt16 {
        let range = candidates
        while true {
            let port = UInt16.random(in: range)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if isFree(port) { return port }
        }
    }

    /// `tcp://127.0.0.1:<free port>`.
    public static func endpoint() -> String { "tcp://127.0.0.1:\(next())" }

    /// Set (to anything) in the environment of a process that a test starts and that picks ports of
    /// its own (`banshi-bench`, which starts a suite): it then picks from the last 1,000 candidates,
    /// which no other process picks from. Two processes picking from one range can each find a port
    /// free and hand it out twice (seen: a test's bus failed to bind while the bench ran beside it).
    public static let nestedRunVariable = "BANSHI_NESTED_PORTS"

    /// The ports below the ephemeral range (32768–60999 by default: 20768–32767), or above it when it
    /// starts too low to leave room; the last 1,000 of them for a nested run alone, and the 1,000 before
    /// those for the chaos soak (`scripts/chaos.py`, which a test runs beside the others).
    static let candidates: ClosedRange<UInt16> = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let (low, high) = bounds.count == 2 ? (bounds[0], bounds[1]) : (32768, 60999)
        let all = low - 12000 >= 1024 ? (low - 12000)...(low - 1) : min(high + 1, 65535 - 3000)...65535
        let nested = ProcessInfo.processInfo.environment[nestedRunVariable] != nil
        return nested ? UInt16(all.upperBound - 999)...UInt16(all.upperBound) : UInt16(all.lowerBound)...UInt16(all.upperBound - 2000)
    }()

    /// Whether `port` can be bound on 127.0.0.1 now.
    ///
    /// The probe is close-on-exec. Foundation's `Process` closes in the child only the descriptors open
    /// when it looked, so a probe opened by another thread in that instant went on, still bound, in
    /// whatever the test started then (a service, `banshictl`), for that process's life: the port's own
    /// service then found it "in use" while `ss` listed nothing (a bound socket that does not listen is
    /// in no table `ss` reads). Seen as a bus that failed three starts on a port no one listed.
    private static func isFree(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        return bindLoopback(fd, port)
    }

    /// Binds the TCP socket `fd` to 127.0.0.1:`port`; whether it could.
    fileprivate static func bindLoopback(_ fd: Int32, _ port: UInt16) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// A TCP socket listening on 127.0.0.1:`port`, to hold a port a service wants (a test of a collision).
public final class PortHolder: @unchecked Sendable {
    private let fd: Int32
    private let closed = Mutex(false)

    public init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, FreePort.bindLoopback(fd, port), listen(fd, 1) == 0 else {
            let error = errno
            if fd >= 0 { Glibc.close(fd) }
            closed.withLock { $0 = true }
            throw TestSuiteError("cannot hold port \(port): errno \(error)")
        }
    }

    /// Lets the port go (once; also at deinit).
    public func close() {
        closed.withLock { closed in
            if !closed { Glibc.close(fd) }
            closed = true
        }
    }

    deinit { close() }
}
