import ArgumentParser
import BanshiKit

/// `banshictl services`: the suite's services, in start order, from the one list the units, the
/// installer and the tests read too. Needs no running suite and no configuration.
struct Services: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the suite's services in start order: name, kind, executable, what each does.",
        discussion: "`--names` prints one name per line, for scripts (deploy/install.sh, scripts/check-units.sh).")

    @Flag(help: "Print only the names, one per line.") var names = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() {
        if names {
            print(SuiteServices.names.joined(separator: "\n"))
        } else if json {
            let rows: [JSONValue] = SuiteServices.all.map {
                [
                    "name": .string($0.name), "kind": .string($0.kind.rawValue), "executable": .string($0.executable),
                    "unit": .string("banshi@\($0.name).service"), "summary": .string($0.summary),
                ]
            }
            print(prettyJSON(["services": .array(rows)]))
        } else {
            var table = Table(["SERVICE", "KIND", "UNIT", "WHAT IT DOES"])
            for member in SuiteServices.all {
                table.add([member.name, member.kind.rawValue, "banshi@\(member.name).service", member.summary])
            }
            print(table.render())
        }
    }
}
