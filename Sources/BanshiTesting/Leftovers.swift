import Foundation
import Glibc
import Synchronization

/// What a test or benchmark process has made outside itself, undone even when that process cannot
/// undo it: killed, crashed on a trap, or stopped with Ctrl-C.
///
/// The services it started, its temporary directories, mounts, network namespaces and bridges are noted
/// here while they exist, each as one line of a shell script that undoes it
/// (`$TMPDIR/banshi-leftovers-<pid>.sh`). With the first note a watcher starts: a shell in a session of its own (so that the terminal's Ctrl-C, which ends the
/// whole foreground group, leaves it running), which waits for the process to be gone and then runs
/// what the script still holds. A process that cleaned up after itself leaves the script empty, and
/// the watcher only removes it.
///
/// A process is killed only if it is still the one noted: the script compares its start time, so a
/// pid the kernel has since given to another process is left alone.
///
/// The script is rewritten in place at each change: one `pwrite` of the whole text at its start
/// through a descriptor held open, then a truncate, with no sync. The watcher reads it only once
/// this process is gone, so it needs no atomic replacement; a text shorter than the last is padded
/// with a comment to the last one's length before the truncate, so that a kill between the two
/// leaves no fragment of an older line to run. Foundation's atomic write (a new file, written and
/// renamed over the old one) costs file-system metadata at each of the thousand or so changes of a
/// test run, on the threads the tests run on, while the services sync their own files.
public enum Leftovers {
    /// What a line undoes; the script undoes them in this order (processes first, their directories last).
    enum Kind: Int {
        case process, mount, namespace, link, directory
    }

    private struct State {
        var lines: [String: (kind: Kind, serial: Int, line: String)] = [:]
        var serial = 0
        var watcher: Process?
        var watching = false
        /// The script, open for writing once the first note comes; the length last written to it.
        var file: Int32 = -1
        var length = 0
    }

    private static let state = Mutex(State())

    /// The script of this process.
    public static let scriptPath =
        "\(FileManager.default.temporaryDirectory.path)/banshi-leftovers-\(ProcessInfo.processInfo.processIdentifier).sh"

    /// Notes the running process `pid`, to be killed (SIGKILL) if this process ends first.
    static func noteProcess(_ pid: Int32) {
        // The script's `sed … | cut -f20` reads the same field as `startTime`.
        guard let started = ServiceProcess.startTime(pid) else { return }
        note(.process, "\(pid)", "p=\(pid); [ \"$(sed 's/^.*) //' /proc/$p/stat 2>/dev/null | cut -d' ' -f20)\" = \(started) ] && kill -KILL $p")
    }

    static func noteDirectory(_ path: String) { note(.directory, path, "rm -rf -- \(quoted(path))") }
    static func noteMount(_ path: String) { note(.mount, path, "umount -l -- \(quoted(path))") }
    static func noteNamespace(_ name: String) { note(.namespace, name, "ip netns delete \(quoted(name))") }
    static func noteLink(_ name: String) { note(.link, name, "ip link delete \(quoted(name))") }

    /// Forgets what `noteProcess` (with the pid), `noteDirectory` (the path) or the others noted:
    /// it is undone.
    static func forget(_ kind: Kind, _ name: String) {
        state.withLock { state in
            guard state.lines.removeValue(forKey: key(kind, name)) != nil else { return }
            write(&state)
        }
    }

    private static func note(_ kind: Kind, _ name: String, _ line: String) {
        state.withLock { state in
            if !state.watching {
                state.watching = true
                state.watcher = startWatcher()
            }
            state.serial += 1
            state.lines[key(kind, name)] = (kind, state.serial, line)
            write(&state)
        }
    }

    private static func key(_ kind: Kind, _ name: String) -> String { "\(kind.rawValue):\(name)" }

    private static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Writes the script in place, padded and then truncated (see above).
    private static func write(_ state: inout State) {
        if state.file < 0 { state.file = open(scriptPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        guard state.file >= 0 else { return }
        let lines = state.lines.values.sorted { ($0.kind.rawValue, $0.serial) < ($1.kind.rawValue, $1.serial) }.map(\.line)
        var bytes = Array((lines.isEmpty ? "" : (lines + [""]).joined(separator: "\n")).utf8)
        let length = bytes.count
        if length < state.length { bytes += Array("\n#".utf8) + Array(repeating: UInt8(ascii: " "), count: max(0, state.length - length - 2)) }
        _ = bytes.withUnsafeBytes { pwrite(state.file, $0.baseAddress, $0.count, 0) }
        if length < state.length { _ = ftruncate(state.file, off_t(length)) }
        state.length = length
    }

    /// Starts the watcher: `setsid` puts it in a session of its own, and it first closes every
    /// descriptor it inherited beyond the three standard ones (a pipe another thread was spawning a
    /// process with at that moment would otherwise stay open until the watcher ends). This process
    /// is gone for it once its pid is gone, a zombie (killed, not yet reaped), or another process's.
    private static func startWatcher() -> Process? {
        let pid = ProcessInfo.processInfo.processIdentifier
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        watcher.arguments = [
            "bash", "-c",
            """
            for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
            while s=$(sed 's/^.*) //' /proc/$1/stat 2>/dev/null) && [ "${s%% *}" != Z ] && [ "$(echo "$s" | cut -d' ' -f20)" = "$3" ]; do
                sleep 1
            done
            [ -s "$2" ] && bash "$2" >/dev/null 2>&1
            rm -f "$2"
            """,
            "banshi-leftovers", "\(pid)", scriptPath, String(ServiceProcess.startTime(pid) ?? ""),
        ]
        watcher.standardInput = FileHandle.nullDevice
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        do {
            try watcher.run()
            return watcher
        } catch {
            FileHandle.standardError.write(Data("banshi: cannot watch for leftovers (\(error)); a killed run leaves its processes and files behind\n".utf8))
            return nil
        }
    }
}
