/// A TOML table read into plain values, with typed getters whose errors name the dotted key.
///
/// `TOMLParser` reads the text into `Sendable` values once; this type is what the rest of the code
/// reads, so that every "missing", "wrong type" and "unknown key" message is worded the same.
public struct ConfigTable: Sendable {
    /// A TOML value; dates are kept as their text.
    public indirect enum Value: Sendable {
        case string(String), int(Int), double(Double), bool(Bool), array([Value]), table([String: Value])
        public var typeName: String {
            switch self {
            case .string: "string"
            case .int: "integer"
            case .double: "float"
            case .bool: "boolean"
            case .array: "array"
            case .table: "table"
            }
        }
    }

    public let values: [String: Value]
    /// The dotted path of this table (empty at the top).
    public let path: String
    public let file: String

    init(values: [String: Value], path: String, file: String) {
        self.values = values
        self.path = path
        self.file = file
    }

    /// Reads and parses `file`. Syntax errors carry the line and column.
    public static func load(file: String) throws(ConfigError) -> ConfigTable {
        guard let text = (try? FileSystem.readText(file)) ?? nil else {
            throw ConfigError(key: nil, "cannot read the file (does it exist and is it UTF-8?)", file: file)
        }
        return try parse(text, file: file)
    }

    /// Parses TOML `text`; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigTable {
        do {
            return ConfigTable(values: try TOMLParser.parse(text), path: "", file: file)
        } catch {
            throw ConfigError(key: nil, error.description, file: file)
        }
    }

    /// The dotted name of `key` in this table.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String?, _ message: String) -> ConfigError {
        ConfigError(key: key.map(keyPath) ?? (path.isEmpty ? nil : path), message, file: file)
    }

    // MARK: Typed getters

    /// A sub-table; an empty one when absent.
    public func table(_ key: String) throws(ConfigError) -> ConfigTable {
        switch values[key] {
        case nil: return ConfigTable(values: [:], path: keyPath(key), file: file)
        case .table(let members)?: return ConfigTable(values: members, path: keyPath(key), file: file)
        case let other?: throw error(key, "must be a table, not a \(other.typeName)")
        }
    }

    /// An array of tables (`[[key]]`), each with the path `key[index]`; empty when absent.
    public func tables(_ key: String) throws(ConfigError) -> [ConfigTable] {
        switch values[key] {
        case nil: return []
        case .array(let items)?:
            var tables: [ConfigTable] = []
            for (index, item) in items.enumerated() {
                guard case .table(let members) = item else { throw error("\(key)[\(index)]", "must be a table, not a \(item.typeName)") }
                tables.append(ConfigTable(values: members, path: keyPath("\(key)[\(index)]"), file: file))
            }
            return tables
        case let other?: throw error(key, "must be an array of tables ([[\(key)]]), not a \(other.typeName)")
        }
    }

    public func string(_ key: String) throws(ConfigError) -> String {
        guard let value = try optionalString(key) else { throw error(key, "is required (a string)") }
        return value
    }

    public func optionalString(_ key: String) throws(ConfigError) -> String? {
        switch values[key] {
        case nil: return nil
        case .string(let text)?:
            guard !text.isEmpty else { throw error(key, "must not be empty") }
            return text
        case let other?: throw error(key, "must be a string, not a \(other.typeName)")
        }
    }

    public func string(_ key: String, default defaultValue: String) throws(ConfigError) -> String {
        try optionalString(key) ?? defaultValue
    }

    /// An integer within `range`, or `defaultValue` when absent.
    public func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        switch values[key] {
        case nil: return defaultValue
        case .int(let number)?:
            guard range.contains(number) else {
                throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            }
            return number
        case let other?: throw error(key, "must be an integer, not a \(other.typeName)")
        }
    }

    /// A required number, integer or float.
    public func number(_ key: String) throws(ConfigError) -> Double {
        switch values[key] {
        case nil: throw error(key, "is required")
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        case let other?: throw error(key, "must be a number, not a \(other.typeName)")
        }
    }

    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        switch values[key] {
        case nil: return defaultValue
        case .bool(let flag)?: return flag
        case let other?: throw error(key, "must be true or false, not a \(other.typeName)")
        }
    }

    /// A list of strings, or `nil` when absent.
    /// A list of numbers (integers or floats), or `nil` when the key is absent.
    public func numberList(_ key: String) throws(ConfigError) -> [Double]? {
        guard let value = values[key] else { return nil }
        guard case .array(let items) = value else { throw error(key, "must be an array of numbers, not \(value.typeName)") }
        var numbers: [Double] = []
        for item in items {
            switch item {
            case .int(let number): numbers.append(Double(number))
            case .double(let number): numbers.append(number)
            default: throw error(key, "must hold numbers only, not a \(item.typeName)")
            }
        }
        return numbers
    }

    public func stringList(_ key: String) throws(ConfigError) -> [String]? {
        switch values[key] {
        case nil: return nil
        case .array(let items)?:
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw error(key, "must be a list of strings, but holds a \(item.typeName)") }
                strings.append(text)
            }
            return strings
        case let other?: throw error(key, "must be a list of strings, not a \(other.typeName)")
        }
    }

    /// One of `choices`, or `defaultValue` when absent.
    public func choice(_ key: String, _ choices: [String], default defaultValue: String) throws(ConfigError) -> String {
        let value = try string(key, default: defaultValue)
        guard choices.contains(value) else {
            throw error(key, "must be one of \(choices.joined(separator: ", ")), not '\(value)'")
        }
        return value
    }

    /// A ZeroMQ endpoint: `tcp://host:port`, `ipc://path` or `inproc://name`.
    public func endpoint(_ key: String) throws(ConfigError) -> String {
        let value = try string(key)
        guard let endpoint = Endpoint.validate(value) else {
            throw error(key, "must be a ZeroMQ endpoint such as tcp://127.0.0.1:7100 or ipc:///run/banshi/bus.sock, not '\(value)'")
        }
        return endpoint
    }

    /// Rejects keys other than `allowed`, so that a misspelt key is reported instead of ignored.
    public func rejectUnknownKeys(_ allowed: Set<String>) throws(ConfigError) {
        for key in values.keys.sorted() where !allowed.contains(key) {
            throw error(key, "is not a known key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

/// What the configuration accepts as a ZeroMQ endpoint.
public enum Endpoint {
    /// Returns `text` when it is a usable endpoint, else `nil`.
    public static func validate(_ text: String) -> String? {
        if text.hasPrefix("tcp://") { return tcpAddress(text) == nil ? nil : text }
        if text.hasPrefix("ipc://") && text.count > "ipc://".count { return text }
        if text.hasPrefix("inproc://") && text.count > "inproc://".count { return text }
        return nil
    }

    /// The host and port of a `tcp://HOST:PORT` endpoint, or nil when `text` is not one.
    public static func tcpAddress(_ text: String) -> (host: String, port: UInt16)? {
        guard text.hasPrefix("tcp://") else { return nil }
        let rest = text.dropFirst("tcp://".count)
        guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex, let port = UInt16(rest[rest.index(after: colon)...]), port > 0
        else { return nil }
        return (String(rest[..<colon]), port)
    }
}
