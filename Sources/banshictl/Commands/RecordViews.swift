import ArgumentParser
import BanshiKit
import Foundation

/// Options every record-reading subcommand (`children`, `petition`) takes.
struct RecordOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the service's result as JSON instead of a table.")
    var json = false

    /// Calls `command` on `service`, prints JSON when asked, else hands the result to `view`. A
    /// listing's table wider than the terminal is followed, on stderr, by how to choose its columns
    /// (unless `widthHint` is off: the caller chose them).
    func show(
        service: String, _ command: String, _ args: [String: JSONValue], widthHint: Bool = true, view: (JSONValue) throws -> String
    ) throws {
        let result = try ServiceCall(global: global, service: service).result(command, args)
        if json {
            print(prettyJSON(result))
            return
        }
        let text = try view(result)
        print(text)
        let names = (result["columns"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let width = text.split(separator: "\n").map { String($0).displayWidth }.max() ?? 0
        let terminal = Terminal.width
        if widthHint, !names.isEmpty, width > terminal {
            // The command on a line of its own, to copy whole; the rest wrapped to the terminal.
            printError("banshictl: the table is \(width) columns wide, the terminal \(terminal); to choose columns:")
            printError(
                "    " + recordsCommand(service: service, listing: command, args.sorted { $0.key < $1.key }.map { ($0.key, $0.value.stringValue ?? $0.value.serialized()) })
                    + " --columns \(names.prefix(4).joined(separator: ","))")
            printError("(its columns: \(names.joined(separator: ", ")))".wrapped(width: terminal - 4).map { "    " + $0 }.joined(separator: "\n"))
        }
    }
}

/// The names a `--columns` list gives, comma-separated; none when it gives none.
func columnNames(_ list: String) -> [String] {
    list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// A name in a `--columns` list that is no column's, with the columns to choose from (`columnChoices`).
struct UnknownColumn: Error {
    let name: String
    let choices: String
}

/// The columns a `--columns` list may name, as help and errors list them: `name (TITLE), …`.
func columnChoices<Column>(_ all: [Column], name: (Column) -> String, title: (Column) -> String) -> String {
    all.map { "\(name($0)) (\(title($0)))" }.joined(separator: ", ")
}

/// The columns a `--columns` list chooses from `all`, in the list's order: each by its name or its
/// title, in any case (a title's spaces may be written `_` or `-`, as in `answer_due` for ANSWER DUE).
/// `banshictl records` and `banshictl history` read their lists so.
func chooseColumns<Column>(
    _ list: String, from all: [Column], name: (Column) -> String, title: (Column) -> String
) throws(UnknownColumn) -> [Column] {
    func key(_ text: String) -> String { text.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_") }
    return try columnNames(list).map { wanted throws(UnknownColumn) in
        guard let column = all.first(where: { key(name($0)) == key(wanted) }) ?? all.first(where: { key(title($0)) == key(wanted) }) else {
            throw UnknownColumn(name: wanted, choices: columnChoices(all, name: name, title: title))
        }
        return column
    }
}

/// The `banshictl records` command that lists `listing` with `arguments` (key and text; `limit` and
/// `offset` as options, the rest as `--where` filters, in the order given), each word quoted for a shell.
func recordsCommand(service: String, listing: String, _ arguments: [(key: String, text: String)]) -> String {
    var words = ["banshictl", "records", service, listing]
    for (key, text) in arguments {
        words += key == "limit" || key == "offset" ? ["--\(key)", shellWord(text)] : ["--where", shellWord("\(key)=\(text)")]
    }
    return words.joined(separator: " ")
}

/// `text` as one word for a POSIX shell: as it is when nothing in it is special, else single-quoted.
func shellWord(_ text: String) -> String {
    let special = Set(" \t\n'\"\\$`!*?[](){}<>|&;#~")
    guard text.isEmpty || text.contains(where: special.contains) else { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// Rows of `items` under `columns` (header, key); "(none)" when there are none, never a bare header.
/// Times show to the second unless `milliseconds`.
func recordTable(_ items: [JSONValue]?, _ columns: [(String, String)], milliseconds: Bool = false) -> String {
    guard let items, !items.isEmpty else { return "(none)" }
    var table = Table(columns.map(\.0))
    for item in items {
        let shown = milliseconds ? item : toTheSecond(item)
        table.add(columns.map { cell(shown[$0.1]) })
    }
    return table.render()
}

/// `rows` with every value wider than `width` terminal columns as its cell shows it (text bare, an
/// object or a list as compact JSON) cut to that width, ending in `…`, and the names of the members
/// cut. Ids (`id`, `*_id`) stay whole: they are what a person copies into the next command.
func cutLongValues(_ rows: [JSONValue], to width: Int) -> (rows: [JSONValue], cut: Set<String>) {
    var cut: Set<String> = []
    let rows = rows.map { row -> JSONValue in
        guard case .object(var object) = row else { return row }
        for (key, value) in object where key != "id" && !key.hasSuffix("_id") {
            let text = cell(value)
            guard text.displayWidth > width else { continue }
            object[key] = .string(text.prefix(columns: width - 1) + "…")
            cut.insert(key)
        }
        return .object(object)
    }
    return (rows, cut)
}

/// A listing's rows under the columns its reply names (`columns`: name and title, in order), so that
/// the table is the service's declaration, not a copy of it here.
func listingTable(_ result: JSONValue, _ member: String) -> String {
    recordTable(result[member]?.arrayValue, listingColumns(result, member))
}

/// A listing's columns, (title, name), in the order its reply names them; the first row's keys when
/// it names none.
func listingColumns(_ result: JSONValue, _ member: String) -> [(String, String)] {
    let columns = (result["columns"]?.arrayValue ?? []).compactMap { column -> (String, String)? in
        guard let name = column["name"]?.stringValue else { return nil }
        return (column["title"]?.stringValue ?? name.uppercased(), name)
    }
    return columns.isEmpty ? keyColumns(result[member]?.arrayValue ?? []) : columns
}

/// A record with its UTC times to the second (`2026-11-30T11:48:38Z`), as people read them in a
/// table; `--json` keeps the milliseconds.
func toTheSecond(_ record: JSONValue) -> JSONValue {
    guard case .object(var object) = record else { return record }
    for (key, value) in object {
        guard let text = value.stringValue else { continue }
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z") else { continue }
        object[key] = .string(String(text.prefix(19)) + "Z")
    }
    return .object(object)
}

/// Columns for rows that do not name theirs: the first row's keys, `id` first.
func keyColumns(_ rows: [JSONValue]) -> [(String, String)] {
    let keys = (rows.first?.objectValue?.keys.sorted() ?? []).sorted { lhs, rhs in lhs == "id" && rhs != "id" }
    return keys.map { ($0.replacingOccurrences(of: "_", with: " ").uppercased(), $0) }
}

/// `FIELD  VALUE` lines for the scalar fields of a record, keys sorted, times to the second.
func recordFields(_ record: JSONValue) -> String {
    let object = toTheSecond(record).objectValue ?? [:]
    var table = Table(["FIELD", "VALUE"])
    for key in object.keys.sorted() where object[key]?.arrayValue == nil { table.add([key, cell(object[key])]) }
    return table.render()
}

/// A record's fields, then each of its lists that has rows as a titled table (empty ones are left out).
func recordWithLists(_ record: JSONValue) -> String {
    let lists = (record.objectValue ?? [:]).filter { !($0.value.arrayValue ?? []).isEmpty }.keys.sorted()
    return ([recordFields(record)] + lists.map { key in
        let rows = record[key]?.arrayValue ?? []
        let scalars = rows.allSatisfy { $0.objectValue != nil }
        return "\n\(key.replacingOccurrences(of: "_", with: " ").capitalized)\n"
            + (scalars ? recordTable(rows, keyColumns(rows)) : rows.map { $0.serialized() }.joined(separator: "\n"))
    }).joined(separator: "\n")
}
