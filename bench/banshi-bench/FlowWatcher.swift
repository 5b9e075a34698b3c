import BanshiKit
import Foundation
import Synchronization
import ZeroMQ

/// Watches the bus for one event type on a thread of its own and notes when each flow's event
/// arrived, by correlationid: where a routed flow ends, as a downstream system sees it.
final class FlowWatcher: Sendable {
    private let seen = Mutex<[String: ContinuousClock.Instant]>([:])
    private let thread = SocketThread(name: "bench-flow-watcher")

    /// Subscribes to `type` at `endpoint`; returns once the subscription is in place.
    init(context: Context, endpoint: String, type: String) async throws {
        try await thread.start { [self] started in
            do {
                let socket = try Socket(context, .sub)
                try socket.setLinger(.zero)
                try socket.setReceiveHighWaterMark(0)
                try socket.subscribe(type)
                try socket.connect(endpoint)
                let poller = Poller()
                poller.add(socket)
                started(.success(()))
                while !thread.isStopping {
                    guard (try? poller.poll(timeout: .milliseconds(50))) ?? 0 > 0 else { continue }
                    while let parts = try? socket.receiveMultipart(dontWait: true) {
                        let now = ContinuousClock.now
                        guard let body = parts.last, let event = try? EventEnvelope.decode(body) else { continue }
                        seen.withLock { $0[event.correlationid] = $0[event.correlationid] ?? now }
                    }
                }
            } catch {
                started(.failure(error))
            }
        }
        // A SUB socket's subscription reaches the bus a moment after it connects.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// When the flow `correlationid` ended, if it has.
    func arrival(_ correlationid: String) -> ContinuousClock.Instant? { seen.withLock { $0[correlationid] } }

    func stop() async { await thread.stop() }
}
