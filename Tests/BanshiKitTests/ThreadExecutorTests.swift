import Foundation
import Testing

@testable import BanshiKit

@Suite("A thread executor runs the tasks that prefer it on a thread of its own")
struct ThreadExecutorTests {
    @Test("Tasks that prefer it run on its thread, one after another, and the thread ends after shutdown")
    func runsOnItsThread() async throws {
        let executor = ThreadExecutor(name: "banshi-test-ex")
        let names = await withTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask(executorPreference: executor) {
                    // Blocking here holds its own thread only.
                    usleep(1_000)
                    return Self.name("/proc/thread-self/comm")
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(names.count == 20)
        #expect(names.allSatisfy { $0 == "banshi-test-ex" }, "\(names)")
        #expect(Self.threads(named: "banshi-test-ex") == 1)
        executor.shutdown()
        let deadline = ContinuousClock.now + .seconds(5)
        while Self.threads(named: "banshi-test-ex") > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(Self.threads(named: "banshi-test-ex") == 0, "the thread ended")
    }

    /// This process's threads with that name, from /proc (what `ps -L` shows).
    private static func threads(named name: String) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { Self.name("/proc/self/task/\($0)/comm") == name }.count
    }

    /// A thread's name as the system shows it, read from its `comm` file.
    private static func name(_ comm: String) -> String {
        let descriptor = open(comm, O_RDONLY)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(descriptor, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .newlines) : ""
    }
}
