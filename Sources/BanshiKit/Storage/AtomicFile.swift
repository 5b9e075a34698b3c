#if canImport(Glibc)
import Glibc
#endif

/// Writing a file so that a reader sees the old content or the new, never half of it.
public enum AtomicFile {
    /// Writes `text` to `path` with `mode`, through a temporary file renamed into place (creating the
    /// directory if needed).
    public static func write(_ text: String, to path: String, mode: mode_t) throws {
        let directory = Path.parent(of: path)
        if !directory.isEmpty { try FileSystem.createDirectory(directory) }
        let temporary = path + ".tmp"
        // Created with the final mode, so a secret is never readable by others, not even for a moment.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw SystemError("create", temporary) }
        _ = fchmod(descriptor, mode)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let failure = written < 0 ? errno : written < bytes.count ? ENOSPC : 0
        close(descriptor)
        guard failure == 0 else {
            unlink(temporary)
            throw SystemError("write", temporary, code: failure)
        }
        guard rename(temporary, path) == 0 else {
            let failure = errno
            unlink(temporary)
            throw SystemError("rename \(temporary) to", path, code: failure)
        }
    }
}
