import Foundation
import Glibc

/// One real Banshi executable started by a test, its stderr captured to a file.
public final class ServiceProcess: @unchecked Sendable {
    // Process is not Sendable; this wrapper is only driven from the test that owns it, and the
    // fields it reads after launch (pid, status) are read through Process's own locking.
    public let name: String
    public let logPath: String
    private let process: Process

    /// Where `swift build` put the executables: beside the test bundle.
    public static var executableDirectory: String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (path as NSString).deletingLastPathComponent
    }

    /// Starts `executable` (e.g. `banshi-bus`) with `arguments`; stdout and stderr go to `logPath`.
    /// With `namespace`, inside that network namespace (`ip netns exec`, which execs: the pid is the
    /// executable's own).
    public init(
        _ executable: String, arguments: [String], logPath: String, environment: [String: String] = [:],
        workingDirectory: String? = nil, namespace: String? = nil
    ) throws {
        name = executable
        self.logPath = logPath
        process = Process()
        let path = executable.hasPrefix("/") ? executable : "\(Self.executableDirectory)/\(executable)"
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = ["netns", "exec", namespace, path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "WATCHDOG_USEC")
        env.merge(environment) { _, new in new }
        process.environment = env
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Leftovers.noteProcess(process.processIdentifier)
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGTERM by default).
    public func signal(_ signal: Int32 = SIGTERM) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits up to `limit` for the process to exit; returns its exit status, or `nil` if it still runs.
    /// The default is generous: a test asserts that it ends and how, not how soon (with the whole suite
    /// on two cores, starting a debug executable alone has taken 19 s).
    public func waitForExit(within limit: Duration = .seconds(60)) async -> Int32? {
        let status = await Self.waitForEnd(of: process, within: limit)
        if status != nil { Leftovers.forget(.process, "\(pid)") }
        return status
    }

    /// Waits up to `limit` for `process` to end and returns its status (as `Process.terminationStatus`
    /// gives it: the exit code, or the signal's number), or `nil` if it still runs. `/proc` decides,
    /// not Foundation (`hasEnded` says why).
    ///
    /// The limit counts only while the process runs. One that has ended and been reaped (gone from
    /// `/proc`) has its status on the way from Foundation, which may come late when the whole suite
    /// keeps the threads busy; it is waited for up to another minute. (Once, in a whole-suite run, a
    /// process that exits at once with a config error was reported as still running after 60 s; this
    /// is the likeliest reading, not a proven one.)
    static func waitForEnd(of process: Process, within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let status = endStatus(of: process) { return status }
            let now = ContinuousClock.now
            let reaped = statFields(process.processIdentifier) == nil
            if now >= deadline + (reaped ? .seconds(60) : .zero) { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The status of `process` once it has ended, `nil` while it runs.
    private static func endStatus(of process: Process) -> Int32? {
        guard let fields = statFields(process.processIdentifier) else {
            // Gone from /proc: Foundation reaped it, and has its status (once it has noted it).
            return process.isRunning ? nil : process.terminationStatus
        }
        return unreapedStatus(fields)
    }

    /// The exit status of `pid` if it has ended and is not yet reaped (a zombie), else `nil`: its
    /// exit code, or the number of the signal that ended it.
    public static func unreapedStatus(_ pid: Int32) -> Int32? {
        statFields(pid).flatMap(unreapedStatus)
    }

    /// The same, from the fields `statFields` read.
    private static func unreapedStatus(_ fields: [Substring]) -> Int32? {
        // Field 52 of proc(5), `exit_code`, is the status as waitpid(2) reports it; a zombie has it.
        guard fields.first == "Z", fields.count > 49, let code = Int32(fields[49]) else { return nil }
        return code & 0x7f == 0 ? (code >> 8) & 0xff : code & 0x7f
    }

    /// Whether the process `pid` has ended (exited and not yet reaped, or gone), from `/proc`.
    ///
    /// Foundation's `Process` learns that a child ended when a descriptor it handed the child closes;
    /// a process that another test spawns at that moment can inherit that descriptor too, and then
    /// `isRunning` stays true until that one ends as well. `/proc` says at once.
    public static func hasEnded(_ pid: Int32) -> Bool {
        let ended = statFields(pid).map { $0.first == "Z" } ?? true
        if ended { Leftovers.forget(.process, "\(pid)") }
        return ended
    }

    /// Field 22 of proc(5), the start time of `pid` in clock ticks since boot: with the pid, it names
    /// one process, where a pid alone may have been given to another since. `nil` once it is gone.
    public static func startTime(_ pid: Int32) -> Substring? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return fields[19]
    }

    /// The fields of `/proc/<pid>/stat` after the command name, the state first (field 3 of
    /// proc(5) is element 0); `nil` once the process is gone.
    public static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        // The line ends in a newline, after `exit_code`: split on both, or the last field reads "0\n".
        return stat[stat.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    /// SIGTERM, then SIGKILL if it does not exit in time. Every test calls this for what it started.
    public func stop() async {
        signal(SIGTERM)
        if await waitForExit(within: .seconds(10)) == nil {
            signal(SIGKILL)
            _ = await waitForExit(within: .seconds(5))
        }
    }

    /// What the process has written so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
