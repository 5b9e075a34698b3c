#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed: what was being done, to which path, and the system's reason.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let code: Int32

    /// The error of the call that just failed (`errno`).
    public init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The system's reason: `Permission denied`.
    public var reason: String { String(cString: strerror(code)) }

    /// `cannot create directory var/children: Permission denied`.
    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
