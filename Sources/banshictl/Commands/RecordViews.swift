import ArgumentParser
import BanshiKit
import Foundation

/// Options every record-reading subcommand (`children`, `petition`) takes.
struct RecordOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the service's result as JSON instead of a table.")
    var json = false

    /// Calls `command` on `service`, prints JSON when asked, else hands the result to `view`.
    func show(service: String, _ command: String, _ args: [String: JSONValue], view: (JSONValue) -> String) throws {
        let result = try ServiceCall(global: global, service: service).result(command, args)
        print(json ? prettyJSON(result) : view(result))
    }
}

/// Rows of `items` under `columns` (header, key).
func recordTable(_ items: [JSONValue]?, _ columns: [(String, String)]) -> String {
    var table = Table(columns.map(\.0))
    for item in items ?? [] { table.add(columns.map { cell(item[$0.1]) }) }
    return table.render()
}

/// `FIELD  VALUE` lines for the scalar fields of a record, keys sorted.
func recordFields(_ record: JSONValue) -> String {
    let object = record.objectValue ?? [:]
    var table = Table(["FIELD", "VALUE"])
    for key in object.keys.sorted() where object[key]?.arrayValue == nil { table.add([key, cell(object[key])]) }
    return table.render()
}

/// A record's fields, then each of its lists as a titled block of compact JSON lines.
func recordWithLists(_ record: JSONValue) -> String {
    let lists = (record.objectValue ?? [:]).filter { $0.value.arrayValue != nil }.keys.sorted()
    return ([recordFields(record)] + lists.map { key in
        "\n\(key.replacingOccurrences(of: "_", with: " ").capitalized)\n"
            + (record[key]?.arrayValue ?? []).map { $0.serialized() }.joined(separator: "\n")
    }).joined(separator: "\n")
}
