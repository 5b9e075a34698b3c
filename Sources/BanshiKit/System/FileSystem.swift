#if canImport(Glibc)
import Glibc
#endif

/// The few file operations the services make, on the system's calls directly.
public enum FileSystem {
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool { status(path).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false }

    /// Whether this process may write into `path`.
    public static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    /// The size of the file at `path` in bytes, or `nil` if it cannot be read.
    public static func size(_ path: String) -> Int64? { status(path).map { Int64($0.st_size) } }

    /// When the file at `path` was last modified, or `nil` if it cannot be read.
    public static func modificationTime(_ path: String) -> Timestamp? {
        status(path).map { Timestamp(timeIntervalSince1970: Double($0.st_mtim.tv_sec) + Double($0.st_mtim.tv_nsec) / 1e9) }
    }

    /// Creates `path` empty with `mode`, unless something is there already; whether it made it. A
    /// database is made so, 0600 before SQLite opens it, so that it is never readable by others, not
    /// even for an instant (SQLite gives its -wal and -shm files the same mode).
    public static func createNew(_ path: String, mode: mode_t) -> Bool {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// The user and group that own `path`, or `nil` if it cannot be read.
    public static func owner(of path: String) -> (user: uid_t, group: gid_t)? { status(path).map { ($0.st_uid, $0.st_gid) } }

    /// Gives `path` to `owner` (a process running as root puts a file where a service's user must own it).
    public static func setOwner(_ path: String, to owner: (user: uid_t, group: gid_t)) throws(SystemError) {
        guard chown(path, owner.user, owner.group) == 0 else { throw SystemError("change the owner of", path) }
    }

    private static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// Creates `path` and the directories above it that are missing. The ones it creates get `mode`
    /// whatever the umask; one that exists is left as it is.
    public static func createDirectory(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        if isDirectory(path) { return }
        let parent = Path.parent(of: path)
        if !parent.isEmpty, parent != path { try createDirectory(parent, mode: mode) }
        if mkdir(path, mode) != 0 {
            // Another process may have made it meanwhile.
            guard errno == EEXIST, isDirectory(path) else { throw SystemError("create directory", path) }
            return
        }
        guard chmod(path, mode) == 0 else { throw SystemError("set the mode of", path) }
    }

    /// Removes the file at `path`.
    public static func remove(_ path: String) throws(SystemError) {
        guard unlink(path) == 0 else { throw SystemError("remove", path) }
    }

    /// The names in the directory `path`, without `.` and `..`, in no particular order.
    public static func contentsOfDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw SystemError("read the directory", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// The whole file at `path`.
    public static func readBytes(_ path: String) throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachChunk(of: path) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads the file at `path` from start to end, handing `body` each piece as it is read (at most
    /// `size` bytes), so that a large file is never in memory whole.
    public static func forEachChunk(of path: String, size: Int = 1 << 20, _ body: (ArraySlice<UInt8>) -> Void) throws(SystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError("open", path) }
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: size)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError("read", path)
            }
            if count == 0 { return }
            body(chunk[..<count])
        }
    }

    /// The file at `path` as UTF-8 text; `nil` if it is not UTF-8.
    public static func readText(_ path: String) throws(SystemError) -> String? {
        String(validating: try readBytes(path), as: UTF8.self)
    }
}
