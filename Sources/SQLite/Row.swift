/// One row a query returned: its columns' names and values, copied out of the statement.
///
/// `row["name"]` and `row[index]` read a column as the type the context asks for. A column that
/// does not exist, or a value that cannot be that type (NULL for a non-optional, text for a number),
/// is a programming error, as a misspelt column would be, and stops the process with its name.
public struct Row: Sendable, Hashable, RandomAccessCollection {
    public let columnNames: [String]
    public let databaseValues: [DatabaseValue]

    public init(columnNames: [String], databaseValues: [DatabaseValue]) {
        self.columnNames = columnNames
        self.databaseValues = databaseValues
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columnNames.count }
    public subscript(position: Int) -> (String, DatabaseValue) { (columnNames[position], databaseValues[position]) }

    /// The index of the first column named `name`, compared without regard to ASCII case as SQL does.
    public func index(ofColumn name: String) -> Int? {
        if let exact = columnNames.firstIndex(of: name) { return exact }
        let wanted = name.lowercased()
        return columnNames.firstIndex { $0.lowercased() == wanted }
    }

    public subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value {
        Self.convert(databaseValues[index], column: columnNames[index])
    }

    public subscript<Value: DatabaseValueConvertible>(_ name: String) -> Value {
        guard let index = index(ofColumn: name) else {
            // An optional reads a missing column as nil; anything else names the column it lacks.
            if let absent = Value.fromDatabaseValue(.null) { return absent }
            preconditionFailure("no column \(name) in row \(columnNames)")
        }
        return Self.convert(databaseValues[index], column: name)
    }

    private static func convert<Value: DatabaseValueConvertible>(_ value: DatabaseValue, column: String) -> Value {
        guard let converted = Value.fromDatabaseValue(value) else {
            preconditionFailure("column \(column) holds \(value.storage), which is not a \(Value.self)")
        }
        return converted
    }
}
