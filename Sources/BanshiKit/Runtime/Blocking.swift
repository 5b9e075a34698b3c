import Foundation

/// Runs blocking work (a socket call that waits for its reply, a database backup) on a thread of its
/// own, so that it never holds one of the cooperative pool's few threads: on two cores, two blocked
/// pool threads stop every async task in the process.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
