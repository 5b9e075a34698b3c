import Foundation
import Glibc
import Synchronization

/// Picks TCP ports on 127.0.0.1 that are free right now, never the same one twice in a process.
public enum FreePort {
    private static let handedOut = Mutex<Set<UInt16>>([])

    /// A port the kernel had free a moment ago.
    public static func next() -> UInt16 {
        while true {
            let port = probe()
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { return port }
        }
    }

    /// `tcp://127.0.0.1:<free port>`.
    public static func endpoint() -> String { "tcp://127.0.0.1:\(next())" }

    private static func probe() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        precondition(bound, "could not bind a probe socket on 127.0.0.1")
        return UInt16(bigEndian: address.sin_port)
    }
}
