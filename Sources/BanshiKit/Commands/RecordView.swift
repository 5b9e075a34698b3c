import SQLite

/// How the records of one table go on the wire: the columns that go out, in order, each with its JSON
/// type and a title for people. A column that is not declared (an internal flag such as
/// `*_overdue_emitted`) never leaves the service, and no query behind a reply is `SELECT *`.
///
/// A view is data rather than a Codable record type per table because the same declaration serves
/// three readers: the query (its select list), the reply (its members and types), and banshictl (its
/// table columns, named in every listing's reply). Rows are read by position in the declared select
/// list, so nothing is looked up by a name that might be missing.
public struct RecordView: Sendable {
    /// A column's JSON type on the wire.
    public enum Kind: Sendable {
        case text, integer, number
        /// Stored 0/1, sent as `true`/`false`.
        case boolean
        /// Stored as JSON text (a command's arguments), sent as the JSON value it holds.
        case json
    }

    /// One column that goes on the wire.
    public struct Column: Sendable {
        public let name: String
        public let kind: Kind
        /// The header banshictl prints over it.
        public let title: String
        /// What is selected, when it is not the column itself (`substr(question, 1, 60)`).
        public let expression: String?

        public init(_ name: String, _ kind: Kind = .text, title: String? = nil, expression: String? = nil) {
            self.name = name
            self.kind = kind
            self.title = title ?? name.replacing("_", with: " ").uppercased()
            self.expression = expression
        }
    }

    public let table: String
    public let columns: [Column]

    /// `columns` are the table's own column names; every identifier is the program's constant.
    public init(_ table: String, _ columns: [Column]) {
        self.table = table
        self.columns = columns
    }

    /// The select list: the declared columns, in order.
    public var selectList: String {
        columns.map { column in column.expression.map { "\($0) AS \(column.name)" } ?? column.name }.joined(separator: ", ")
    }

    /// How a listing's reply names its columns, for a client that renders them (banshictl).
    public var columnsValue: JSONValue {
        .array(columns.map { ["name": .string($0.name), "title": .string($0.title)] })
    }

    /// One row of this view's select list as a JSON object.
    public func json(_ row: Row) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (index, column) in columns.enumerated() {
            let value: DatabaseValue = row[index]
            switch (value.storage, column.kind) {
            case (.null, _): object[column.name] = .null
            case (.int64(let number), .boolean): object[column.name] = .bool(number != 0)
            case (.int64(let number), .number): object[column.name] = .double(Double(number))
            case (.int64(let number), _): object[column.name] = .int(number)
            case (.double(let number), _): object[column.name] = .double(number)
            case (.string(let text), .json): object[column.name] = (try? JSONValue.parse(Array(text.utf8))) ?? .string(text)
            case (.string(let text), _): object[column.name] = .string(text)
            case (.blob(let bytes), _): object[column.name] = .string(Base64.encode(bytes))
            }
        }
        return .object(object)
    }

    /// The records matching `condition` (SQL over the table's columns, with `arguments`), in `order`.
    public func all(
        _ db: Database, where condition: String = "1", _ arguments: StatementArguments = [], order: String, limit: Int64? = nil,
        offset: Int64 = 0
    ) throws -> JSONValue {
        var sql = "SELECT \(selectList) FROM \(table) WHERE \(condition) ORDER BY \(order)"
        if let limit { sql += " LIMIT \(limit) OFFSET \(offset)" }
        return .array(try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(json))
    }

    /// The record with `id`, or `not_found` naming `field` ("no child 'CH-…'").
    public func one(_ db: Database, id: String, what: String, field: String) throws -> JSONValue {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(selectList) FROM \(table) WHERE id = ?"), arguments: [id]) else {
            throw CommandError(.notFound, "no \(what) '\(id)'", field: field)
        }
        return json(row)
    }

    /// The record with `id`, if there is one.
    public func first(_ db: Database, id: String) throws -> JSONValue? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(selectList) FROM \(table) WHERE id = ?"), arguments: [id]).map(json)
    }
}

/// A listing command as data: a view, the equality filters it takes (each an argument, with the
/// vocabulary's choices where it has one), its order and its paging. `spec` is the command; its reply
/// is `{<member>: [rows], "columns": [{name, title}], "limit": N, "offset": N}`.
public struct Listing: Sendable {
    /// An argument that keeps the records whose `column` equals it.
    public struct Filter: Sendable {
        public let argument: ArgumentSpec
        public let column: String

        public init(_ column: String, argument: String? = nil, choices: [String]? = nil, _ summary: String) {
            self.column = column
            self.argument = ArgumentSpec(argument ?? column, .string, choices: choices, summary)
        }
    }

    public let command: String
    public let summary: String
    public let member: String
    public let view: RecordView
    public let filters: [Filter]
    public let order: String
    public let limit: PageLimit

    public init(
        _ command: String, _ summary: String, member: String, view: RecordView, filters: [Filter] = [], order: String,
        limit: PageLimit = .records
    ) {
        self.command = command
        self.summary = summary
        self.member = member
        self.view = view
        self.filters = filters
        self.order = order
        self.limit = limit
    }

    /// The command: filters, `limit` and `offset` checked by the dispatcher, one query, named columns.
    public var spec: CommandSpec {
        let listing = self
        return CommandSpec(
            command, summary,
            arguments: filters.map(\.argument) + [limit.argument, ArgumentSpec("offset", .integer, "skip this many first (default 0)")]
        ) { context in try await listing.run(context) }.listing(member)
    }

    /// Runs the listing for a command whose arguments include its filters, `limit` and `offset`.
    public func run(_ context: CommandContext) async throws -> JSONValue {
        let arguments = context.arguments
        let limit = try self.limit.value(arguments)
        let offset = try arguments.int("offset", default: 0, in: 0...Int64(Int32.max))
        var conditions: [String] = []
        var values: [String] = []
        for filter in filters {
            guard let value = arguments.optionalString(filter.argument.name) else { continue }
            conditions.append("\(filter.column) = ?")
            values.append(value)
        }
        let condition = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        let bound = values
        let rows = try await context.read { db in
            try view.all(db, where: condition, StatementArguments(bound), order: order, limit: limit, offset: offset)
        }
        return [
            member: rows, "columns": view.columnsValue, "limit": .int(limit), "offset": .int(offset),
        ]
    }
}
