import Glibc

/// sd_notify without libsystemd: one datagram to `$NOTIFY_SOCKET` per state change.
///
/// When `NOTIFY_SOCKET` is unset (not under systemd) every call does nothing. `WATCHDOG_USEC` gives
/// the watchdog deadline; we ping at half of it, as systemd recommends.
public struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// The ping interval derived from `WATCHDOG_USEC`, or `nil` when no watchdog is configured.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessEnvironment.all) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        if path != nil, let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 {
            // WATCHDOG_PID, when set, must be ours: a child must not ping for its parent.
            if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) {
                watchdogInterval = nil
            } else {
                watchdogInterval = .microseconds(usec / 2)
            }
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether the process runs under a notifying supervisor.
    public var isActive: Bool { socketPath != nil }

    public func ready() { send("READY=1\nSTATUS=serving") }
    public func stopping() { send("STOPPING=1\nSTATUS=stopping") }
    public func watchdog() { send("WATCHDOG=1") }
    public func status(_ text: String) { send("STATUS=\(text)") }

    /// Sends `state` as one datagram; errors are ignored, as sd_notify does.
    public func send(_ state: String) {
        guard let socketPath else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        // A leading '@' names an abstract socket: its first byte is NUL.
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        let message = Array(state.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
    }
}
