import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "banshi-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        Leftovers.noteDirectory(path)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
        Leftovers.forget(.directory, path)
    }
}
