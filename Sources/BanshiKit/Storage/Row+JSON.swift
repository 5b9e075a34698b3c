import SQLite

extension Row {
    /// The row as a JSON object keyed by column name; `booleans` names the 0/1 columns to show as
    /// `true`/`false`.
    public func jsonObject(booleans: Set<String> = []) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (column, value) in self {
            switch value.storage {
            case .null: object[column] = .null
            case .int64(let number): object[column] = booleans.contains(column) ? .bool(number != 0) : .int(number)
            case .double(let number): object[column] = .double(number)
            case .string(let text): object[column] = .string(text)
            case .blob(let bytes): object[column] = .string(Base64.encode(bytes))
            }
        }
        return .object(object)
    }
}

extension Database {
    /// The rows of a query as a JSON array of objects (`booleans` names the 0/1 columns).
    public func jsonRows(_ sql: String, _ arguments: StatementArguments = [], booleans: Set<String> = []) throws -> JSONValue {
        .array(try Row.fetchAll(self, sql: sql, arguments: arguments).map { $0.jsonObject(booleans: booleans) })
    }
}
