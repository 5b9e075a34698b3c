import CZeroMQ

/// What a poll item waits for, and what it reported.
public struct PollEvents: OptionSet, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
    public static let error = PollEvents(rawValue: Int16(ZMQ_POLLERR))
}

/// Waits on several sockets and plain file descriptors at once.
///
/// Items are registered once; `poll` returns how many are ready and `events(at:)` tells which.
/// The poller keeps its sockets alive for as long as it is in use.
public final class Poller {
    private var items: [zmq_pollitem_t] = []
    private var sockets: [Socket] = []

    public init() {}

    /// Registers `socket`; returns the index to ask `events(at:)` about.
    @discardableResult
    public func add(_ socket: Socket, events: PollEvents = .readable) -> Int {
        sockets.append(socket)
        items.append(zmq_pollitem_t(socket: socket.handle, fd: -1, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Registers a file descriptor (a `Wakeup` pipe, say).
    @discardableResult
    public func add(fileDescriptor: Int32, events: PollEvents = .readable) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Waits until an item is ready or `timeout` passes (`nil`: forever). Returns the ready count.
    ///
    /// `zmq_poll` counts in whole milliseconds; a timeout is rounded up to the next one, so that a
    /// caller waiting for a deadline less than a millisecond away sleeps rather than spins.
    @discardableResult
    public func poll(timeout: Duration?) throws(ZeroMQError) -> Int {
        let millis: Int = timeout.map { Int(Socket.milliseconds($0)) } ?? -1
        let count = items.count
        let result = items.withUnsafeMutableBufferPointer { buffer -> Int32 in
            while true {
                let ready = zmq_poll(buffer.baseAddress, Int32(count), millis)
                if ready != -1 { return ready }
                let code = zmq_errno()
                if code != EINTR { return -code }
            }
        }
        if result < 0 { throw ZeroMQError(errno: -result, operation: "zmq_poll") }
        return Int(result)
    }

    /// What the item at `index` reported in the last `poll`.
    public func events(at index: Int) -> PollEvents {
        PollEvents(rawValue: items[index].revents)
    }

    /// Whether the item at `index` has something to read.
    public func isReadable(_ index: Int) -> Bool {
        events(at: index).contains(.readable)
    }
}
