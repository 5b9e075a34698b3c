import BanshiKit
import SQLite

/// The register of the city's procuratorates, which "no blank spots" is measured against.
enum ProcuratorateCommands {
    static func all(_ settings: PetitionSettings) -> [CommandSpec] { [importRegister(settings), list] }

    static func importRegister(_ settings: PetitionSettings) -> CommandSpec {
        CommandSpec(
            "procuratorates.import", "add the procuratorates of a register file that are not registered yet",
            arguments: [ArgumentSpec("file", .string, "the TOML register (default: procuratorates_file)")]
        ) { context, events in
            let file = context.arguments.optionalString("file") ?? settings.procuratoratesFile
            let entries: [(id: String, name: String, level: ProcuratorateLevel)]
            do {
                entries = try ConfigTable.load(file: file).tables("procuratorate").map { table throws(ConfigError) in
                    try table.rejectUnknownKeys(["id", "name", "level"])
                    let id = try table.string("id")
                    guard Topic.isValidPart(id) else { throw table.error("id", "must be lower-case letters, digits and '-'") }
                    let level = try table.choice("level", ProcuratorateLevel.names, default: "district")
                    return (id, try table.string("name"), ProcuratorateLevel(rawValue: level)!)
                }
            } catch {
                throw CommandError(.invalidArgument, "\(error)", field: "file")
            }
            guard entries.filter({ $0.level == .city }).count <= 1 else {
                throw CommandError(.invalidArgument, "\(file): more than one city procuratorate", field: "file")
            }
            var added: [JSONValue] = []
            for entry in entries {
                if try Row.fetchOne(events.db, cached: "SELECT 1 FROM procuratorate WHERE id = ?", arguments: [entry.id]) != nil { continue }
                try events.db.execute(
                    cached: "INSERT INTO procuratorate (id, name, level) VALUES (?, ?, ?)", arguments: [entry.id, entry.name, entry.level.rawValue])
                try events.emit(
                    "petition.procuratorate.registered", subject: "procuratorate/\(entry.id)",
                    data: ["procuratorate_id": .string(entry.id), "level": .string(entry.level.rawValue)])
                added.append(.string(entry.id))
            }
            return ["file": .string(file), "added": .array(added), "listed": .int(Int64(entries.count))]
        }
    }

    static let list = Listing(
        "procuratorate.list", "the registered procuratorates", member: "procuratorates", view: PetitionViews.procuratorate,
        filters: [.init("level", choices: ProcuratorateLevel.names, "only this level")], order: "level, id",
        limit: PageLimit(default: 1000, maximum: 1000)
    ).spec
}
