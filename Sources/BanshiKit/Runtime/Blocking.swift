import Foundation

/// Runs blocking work (a socket call that waits for its reply, a database backup) on a thread of its
/// own, so that it never holds one of the cooperative pool's few threads: on two cores, two blocked
/// pool threads stop every async task in the process.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Starts `body` on a new thread named `name` as `top -H`, `ps -L` and `perf` show it. Linux keeps
/// 15 bytes of a thread's name, and Foundation names the system's thread only when the name is set
/// from the thread itself (set before `start`, it stays the creating thread's).
public func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    Thread {
        Thread.current.name = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        body()
    }.start()
}
