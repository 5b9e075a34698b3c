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

    /// The ports below the ephemeral range (32768–60999 by default: 20768–32767), or above it when it
    /// starts too low to leave room.
    static let candidates: ClosedRange<UInt16> = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let (low, high) = bounds.count == 2 ? (bounds[0], bounds[1]) : (32768, 60999)
        if low - 12000 >= 1024 { return UInt16(low - 12000)...UInt16(low - 1) }
        return UInt16(min(high + 1, 65535 - 1000))...65535
    }()

    /// Whether `port` can be bound on 127.0.0.1 now.
    private static func isFree(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
