import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl records SERVICE [LISTING]`: any program's records as a table, from the listings the
/// service declares. A new program needs no code here: its listings name their columns on the wire.
struct Records: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a service's records as a table: any listing it declares (child.list, visit.list, ...).",
        discussion: """
            Without LISTING, prints the service's listings with their filters. Filters are given as \
            --where key=value (always text, so a digit-only value stays a string). Personal-data listings \
            need an admin key. A table wider than the terminal (or than $COLUMNS, else 100, when not on one) \
            is followed, on stderr, by the command with --columns that chooses some; the `children` and \
            `petition` listings do the same. With every column, a text longer than 48 columns is cut \
            (…), ids never; --columns or --json shows it whole. Exit status: 0, 1 when the service refused, 64 on a usage error, 4 when it \
            did not answer.
            """)

    @OptionGroup var options: RecordOptions

    @Argument(help: "The service (a [services.NAME] of the configuration).", completion: Completions.services) var service: String
    @Argument(help: "The listing command, e.g. child.list (omit to see the service's listings).") var listing: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep the records whose field equals the value (repeatable).", valueName: "key=value"))
    var filters: [String] = []
    @Option(help: "At most this many.") var limit: Int?
    @Option(help: "Skip this many first.") var offset: Int?
    @Option(
        help: ArgumentHelp(
            "Only these columns, in this order: their names (as --where takes them) or their titles, in any case.",
            valueName: "name,..."))
    var columns: String?

    /// Malformed options are usage errors, found before anything is sent.
    func validate() throws {
        for pair in filters { _ = try Self.filter(pair) }
        if let columns, columnNames(columns).isEmpty {
            throw ValidationError("--columns takes column names separated by commas, not '\(columns)'")
        }
    }

    /// A `--where` filter's key and value.
    private static func filter(_ pair: String) throws -> (String, String) {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw ValidationError("--where takes key=value, not '\(pair)'")
        }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    /// A usage error that only the service's answer shows (a listing or a column it does not have),
    /// with where the help is.
    private static func usageFailure(_ message: String) throws -> Never {
        throw usageError("\(message)\nSee 'banshictl records --help'.")
    }

    func run() throws {
        let call = ServiceCall(global: options.global, service: service)
        let commands = try call.result("help")["commands"]?.arrayValue ?? []
        let listings = commands.filter { $0["listing"]?.stringValue != nil }
        guard let listing else {
            // What each lists goes last, wrapped to the terminal.
            var table = Table(["LISTING", "FILTERS (--where)", "WHAT IT LISTS"])
            for command in listings {
                let filters = (command["arguments"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                    .filter { !["limit", "offset", "now"].contains($0) }
                table.add([cell(command["name"]), filters.isEmpty ? "-" : filters.joined(separator: ","), cell(command["summary"])])
            }
            print(listings.isEmpty ? "\(service) declares no listings" : table.render(width: Terminal.width))
            return
        }
        guard let member = listings.first(where: { $0["name"]?.stringValue == listing })?["listing"]?.stringValue else {
            let known = listings.compactMap { $0["name"]?.stringValue }
            try Self.usageFailure("\(service) has no listing '\(listing)'; its listings: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        var args: [String: JSONValue] = [:]
        for pair in filters {
            let (key, value) = try Self.filter(pair)
            args[key] = .string(value)
        }
        if let limit { args["limit"] = .int(Int64(limit)) }
        if let offset { args["offset"] = .int(Int64(offset)) }
        // The columns whose values were cut, in the table's order, and the table's first column.
        var cut: [String] = []
        var first = ""
        try options.show(service: service, listing, args, widthHint: columns == nil) { result in
            let all = listingColumns(result, member)
            // A listing that names no columns and found nothing has none to choose from.
            let shown = try columns.map { all.isEmpty ? all : try chosen($0, from: all) } ?? all
            // Every column at once is an overview: a long text (a summary, a routed command's
            // arguments) is cut to a line's worth. Chosen columns show whole.
            var rows = result[member]?.arrayValue
            if columns == nil, let whole = rows {
                let (short, names) = cutLongValues(whole, to: Self.overviewCellWidth)
                rows = short
                cut = shown.map(\.1).filter(names.contains)
                first = shown.first?.1 ?? ""
            }
            return recordTable(rows, shown)
        }
        if let long = cut.first {
            printError(
                "banshictl: values longer than \(Self.overviewCellWidth) columns are cut (…) in \(cut.joined(separator: ", ")); "
                    + "--columns \(long == first ? long : "\(first),\(long)") or --json shows them whole")
        }
    }

    /// How wide a value may be in a table of every column.
    static let overviewCellWidth = 48

    /// The columns `list` chooses (`chooseColumns`); a usage failure naming the listing's columns
    /// when one is not among them.
    private func chosen(_ list: String, from all: [(String, String)]) throws -> [(String, String)] {
        do {
            return try chooseColumns(list, from: all, name: \.1, title: \.0)
        } catch {
            try Self.usageFailure(
                "\(listing ?? "the listing") has no column '\(error.name)'; its columns: \(error.choices)")
        }
    }
}
