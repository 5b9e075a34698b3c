// Reading query results: whole rows, or the first column as a value.

/// What a query's rows can be read as: `Row`, or a value of the first column. Each type says how to
/// read a prepared statement's rows; the SQL-text and statement-cache forms are the same for all.
public protocol StatementFetchable {
    static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Self]
    static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> Self?
}

extension StatementFetchable {
    public static func fetchAll(_ statement: Statement) throws -> [Self] { try fetchAll(statement, arguments: StatementArguments()) }

    public static func fetchOne(_ statement: Statement) throws -> Self? { try fetchOne(statement, arguments: StatementArguments()) }

    public static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.makeStatement(sql: sql), arguments: arguments)
    }

    public static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.makeStatement(sql: sql), arguments: arguments)
    }

    /// Through the connection's statement cache: for the queries commands run on every call.
    public static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    public static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Row: StatementFetchable {
    public static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Row] {
        try statement.reset(binding: arguments)
        defer { statement.finish() }
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    public static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> Row? {
        try statement.reset(binding: arguments)
        defer { statement.finish() }
        return try statement.step() ? statement.row() : nil
    }

    public static func fetchCursor(_ statement: Statement, arguments: StatementArguments = StatementArguments()) throws -> RowCursor {
        try RowCursor(statement, arguments: arguments)
    }
}

extension DatabaseValueConvertible {
    /// The first column of every row.
    public static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Self] {
        try statement.reset(binding: arguments)
        defer { statement.finish() }
        var values: [Self] = []
        while try statement.step() { values.append(try firstColumn(statement)) }
        return values
    }

    /// The first column of the first row, or `nil` when there is no row or it holds NULL.
    public static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> Self? {
        try statement.reset(binding: arguments)
        defer { statement.finish() }
        guard try statement.step() else { return nil }
        let value = statement.value(at: 0)
        return value.isNull ? nil : try firstColumn(statement)
    }

    private static func firstColumn(_ statement: Statement) throws -> Self {
        let value = statement.value(at: 0)
        guard let converted = fromDatabaseValue(value) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "the first column holds \(value.storage), which is not a \(Self.self)", sql: statement.sql)
        }
        return converted
    }
}
