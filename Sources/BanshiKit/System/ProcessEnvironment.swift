#if canImport(Glibc)
import Glibc
#endif

/// What the process was started with.
public enum ProcessEnvironment {
    /// The environment variable `name`, or `nil` when it is not set.
    public static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Every environment variable.
    public static var all: [String: String] {
        var values: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") { values[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            entry += 1
        }
        return values
    }

    /// This process's id.
    public static var id: Int32 { getpid() }
}
