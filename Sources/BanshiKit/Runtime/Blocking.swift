#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking work (a socket call that waits for its reply, a database backup) on a thread of its
/// own, so that it never holds one of the cooperative pool's few threads: on two cores, two blocked
/// pool threads stop every async task in the process.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        spawnThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Starts `body` on a new thread named `name` as `top -H`, `ps -L` and `perf` show it.
public func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    spawnThread {
        nameCurrentThread(name)
        body()
    }
}

/// Starts `body` on a new detached POSIX thread (with the default stack size, 8 MiB of address
/// space of which only what is touched is memory).
private func spawnThread(_ body: @escaping @Sendable () -> Void) {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let code = pthread_create(&thread, nil, { context in
        let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
        body.run()
        return nil
    }, context)
    // Only a process out of threads or memory gets here; nothing it could do would go on working.
    precondition(code == 0, "cannot start a thread: \(String(cString: strerror(code)))")
    pthread_detach(thread)
}

/// A thread's closure, handed to `pthread_create` as its one pointer.
private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Names the calling thread for the system (Linux keeps 15 bytes). Written to
/// `/proc/thread-self/comm` rather than through Foundation's `Thread.name`, which renames the
/// system's thread only once `start` has recorded it: a thread that runs before its creator gets
/// that far kept its creator's name (seen in a test run under load).
func nameCurrentThread(_ name: String) {
    let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}
