import Logging
import Synchronization

/// A swift-log handler that writes one logfmt line per event to stderr:
/// `time=… level=info service=bus msg="bus started" publish=tcp://127.0.0.1:7100`.
///
/// One line, key=value, is what journald and grep both read well.
public struct LogfmtHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private static let output = Mutex<Void>(())

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    /// Installs the handler for the whole process.
    public static func bootstrap(service: String, level: Logger.Level) {
        LoggingSystem.bootstrap { label in LogfmtHandler(label: label, level: level) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "time=\(Timestamp.format(Timestamp())) level=\(event.level.rawValue) service=\(Self.quote(label)) msg=\(Self.quote(event.message.description))"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quote("\(merged[key]!)"))"
        }
        line += "\n"
        Self.output.withLock { _ in
            StandardError.write(line)
        }
    }

    /// Quotes a value when it holds spaces, quotes, `=` or control characters.
    static func quote(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar != "\"" && scalar != "=" && scalar != "\\"
        }
        if plain { return value }
        var out = ""
        JSONValue.writeString(value, to: &out)
        return out
    }
}
