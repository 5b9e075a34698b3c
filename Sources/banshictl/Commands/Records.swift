import ArgumentParser
import BanshiKit

/// `banshictl records SERVICE [LISTING]`: any program's records as a table, from the listings the
/// service declares. A new program needs no code here: its listings name their columns on the wire.
struct Records: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a service's records as a table: any listing it declares (child.list, visit.list, ...).",
        discussion: """
            Without LISTING, prints the service's listings with their filters. Filters are given as \
            --where key=value (always text, so a digit-only value stays a string). Personal-data listings \
            need an admin key. Exit status: 0, 1 when the service refused, 2 on a usage error, 4 when it did \
            not answer.
            """)

    @OptionGroup var options: RecordOptions

    @Argument(help: "The service (a [services.NAME] of the configuration).", completion: Completions.services) var service: String
    @Argument(help: "The listing command, e.g. child.list (omit to see the service's listings).") var listing: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep the records whose field equals the value (repeatable).", valueName: "key=value"))
    var filters: [String] = []
    @Option(help: "At most this many.") var limit: Int?
    @Option(help: "Skip this many first.") var offset: Int?

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
            throw ValidationError("\(service) has no listing '\(listing)'; its listings: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        var args: [String: JSONValue] = [:]
        for pair in filters {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--where takes key=value, not '\(pair)'")
            }
            args[String(pair[..<equals])] = .string(String(pair[pair.index(after: equals)...]))
        }
        if let limit { args["limit"] = .int(Int64(limit)) }
        if let offset { args["offset"] = .int(Int64(offset)) }
        try options.show(service: service, listing, args) { listingTable($0, member) }
    }
}
