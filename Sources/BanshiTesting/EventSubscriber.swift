import BanshiKit
import Foundation
import ZeroMQ

/// A plain SUB socket on the bus for tests, reading on a thread of its own.
public final class EventSubscriber: @unchecked Sendable {
    // The socket is only touched inside `onOwnThread` calls, which the owning test makes one at a time.
    private let socket: Socket

    public init(context: Context, endpoint: String, prefixes: [String] = [""], identity: CurveIdentity? = nil) throws {
        socket = try Socket(context, .sub)
        try socket.setLinger(.zero)
        try identity?.secureClient(socket, peer: "bus")
        for prefix in prefixes { try socket.subscribe(prefix) }
        try socket.connect(endpoint)
    }

    /// Receives up to `count` messages, waiting at most `limit` in all.
    public func receive(_ count: Int, within limit: Duration = .seconds(10)) async throws -> [[[UInt8]]] {
        let socket = UncheckedBox(socket)
        return try await onOwnThread {
            var messages: [[[UInt8]]] = []
            let poller = Poller()
            poller.add(socket.value)
            let deadline = ContinuousClock.now + limit
            while messages.count < count {
                let remaining = deadline - ContinuousClock.now
                if remaining <= .zero { break }
                if try poller.poll(timeout: remaining) > 0, let message = try socket.value.receiveMultipart(dontWait: true) {
                    messages.append(message)
                }
            }
            return messages
        }
    }
}

/// Carries a non-Sendable value into a thread that is its only user while it runs.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
