import Foundation
import Glibc

/// A tmpfs of a few hundred KiB mounted at a path, for a test that fills the disk under a service's
/// database (root only, like the network namespaces). `resize` gives it room again; `remove`
/// unmounts it. Noted in `Leftovers`, so that a killed test run leaves no mount behind.
public final class SmallDisk: Sendable {
    public let path: String

    /// Why no disk can be mounted here, or nil.
    public static func unavailableReason() -> String? { getuid() == 0 ? nil : "mounting a tmpfs needs root" }

    public init(at path: String, kilobytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try SystemCommand.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0700", "tmpfs", path])
        self.path = path
        Leftovers.noteMount(path)
    }

    /// Gives the disk `kilobytes` in all, keeping what it holds.
    public func resize(kilobytes: Int) throws {
        try SystemCommand.run("/usr/bin/mount", ["-o", "remount,size=\(kilobytes)k", path])
    }

    /// Unmounts the disk (lazily: a process still holding a file keeps it until it closes it).
    public func remove() {
        _ = try? SystemCommand.run("/usr/bin/umount", ["-l", path])
        Leftovers.forget(.mount, path)
    }
}
