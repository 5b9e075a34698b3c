import BanshiTesting
import Glibc
import Testing

/// The harness reads whether a process it started has ended from `/proc`, since Foundation may note
/// it late: a zombie's status must read right, or a test waits out its whole timeout for a command
/// that ended at once (two runs of the suite failed so: "did not finish within 60 s, state Z").
@Suite("System: the harness reads an ended process's status")
struct ProcessStatusSystemTests {
    @Test("A child that has ended and is not yet reaped is seen as ended, with its exit code or its signal")
    func unreaped() async throws {
        for (script, expected) in [("exit 4", Int32(4)), ("kill -KILL $$", SIGKILL)] {
            var pid: pid_t = 0
            let words: [String] = ["/bin/sh", "-c", script]
            let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            #expect(posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0)
            // Nothing else reaps it: it stays a zombie until this test does.
            var status: Int32?
            let deadline = ContinuousClock.now + .seconds(30)
            while status == nil, ContinuousClock.now < deadline {
                status = ServiceProcess.unreapedStatus(pid)
                if status == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(status == expected, "\(script)")
            #expect(ServiceProcess.hasEnded(pid))
            var reaped: Int32 = 0
            #expect(waitpid(pid, &reaped, 0) == pid)
            #expect(ServiceProcess.unreapedStatus(pid) == nil)
        }
    }
}
