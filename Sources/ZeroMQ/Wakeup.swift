import Glibc
import CZeroMQ

/// A thread-safe doorbell for a socket loop: any thread may `ring`, and the loop polls `fileDescriptor`.
///
/// It is a non-blocking pipe: ringing writes a byte (a full pipe already means "wake up"), and
/// `drain` empties it. This is how work from other threads reaches a loop that owns its sockets
/// alone, without sharing a socket.
public final class Wakeup: Sendable {
    /// The descriptor to register with a `Poller`.
    public let fileDescriptor: Int32
    private let writeEnd: Int32

    public init() throws(ZeroMQError) {
        var ends: [Int32] = [0, 0]
        // Close-on-exec from the start: a process spawned by another thread meanwhile inherits neither end.
        guard pipe2(&ends, O_NONBLOCK | O_CLOEXEC) == 0 else { throw ZeroMQError(errno: errno, operation: "pipe2") }
        fileDescriptor = ends[0]
        writeEnd = ends[1]
    }

    /// Wakes the loop. Safe from any thread.
    public func ring() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Clears pending rings; the loop calls it when the descriptor reports readable.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(fileDescriptor, &buffer, buffer.count) > 0 {}
    }

    deinit {
        close(fileDescriptor)
        close(writeEnd)
    }
}
