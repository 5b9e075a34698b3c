import Synchronization

/// A dedicated thread for code that owns ZeroMQ sockets, started and stopped from async code.
///
/// The body runs on a thread of its own (sockets are single-threaded and blocking calls must stay off
/// the cooperative pool). It reports once whether it started (bound its sockets, say), watches
/// `isStopping` between polls, and returns after closing its sockets; `stop` waits for that.
public final class SocketThread: Sendable {
    struct State {
        var stopping = false
        var exited = false
        var started: CheckedContinuation<Void, any Error>?
    }

    public let name: String
    private let state = Mutex(State())

    public init(name: String) {
        self.name = name
    }

    /// Whether `stop` has been called; the body checks it between polls.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Whether the body has returned.
    public var hasExited: Bool { state.withLock { $0.exited } }

    /// Runs `body` on the thread and returns once it has called `started` (rethrowing its failure).
    public func start(_ body: @escaping @Sendable (_ started: @Sendable (Result<Void, any Error>) -> Void) -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.withLock { $0.started = continuation }
            startThread(named: name) { [self] in
                body { result in report(result) }
                report(.failure(CancellationError()))  // in case the body returned without reporting
                state.withLock { $0.exited = true }
            }
        }
    }

    private func report(_ result: Result<Void, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            defer { state.started = nil }
            return state.started
        }
        continuation?.resume(with: result)
    }

    /// Asks the body to return, runs `wake` so that a blocked poll notices, and waits until it has.
    public func stop(wake: () -> Void = {}) async {
        state.withLock { $0.stopping = true }
        wake()
        while !hasExited {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
