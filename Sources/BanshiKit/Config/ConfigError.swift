/// A configuration problem, naming the key (`bus.publish`) or the file it is about.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The dotted key, or `nil` when the file as a whole is at fault.
    public let key: String?
    public let message: String
    public let file: String

    public init(key: String?, _ message: String, file: String) {
        self.key = key
        self.message = message
        self.file = file
    }

    public var description: String {
        if let key { "config error in \(file): key '\(key)': \(message)" } else { "config error in \(file): \(message)" }
    }
}
