import BanshiKit
import BanshiTesting
import Foundation

/// `banshi-bench`: measures the delivery pipeline and its ceilings on this machine.
///
/// It starts the real release executables (bus, loadgen, loadsink) on 127.0.0.1 and drives them over
/// the wire, as a downstream system would. Results go to stdout as a Markdown table, and as JSON with
/// `--json`. `--events N` sets the size of the large runs (default 1,000,000).
@main
struct BenchMain {
    static func main() async {
        var options = Options()
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--events": options.events = count(argument, arguments.popFirst())
            case "--seconds": options.seconds = count(argument, arguments.popFirst())
            case "--history": options.history = count(argument, arguments.popFirst())
            case "--commands": options.commands = count(argument, arguments.popFirst())
            case "--in-flight": options.inFlight = count(argument, arguments.popFirst())
            case "--json": options.json = true
            case "--only":
                let names = (arguments.popFirst() ?? "").split(separator: ",").map(String.init)
                guard !names.isEmpty, names.allSatisfy(Options.phases.contains) else {
                    FileHandle.standardError.write(Data("banshi-bench: --only takes some of \(Options.phases.joined(separator: ","))\n".utf8))
                    exit(2)
                }
                options.only = Set(names)
            case "--help", "-h":
                print("usage: banshi-bench [--events N] [--seconds S] [--history N] [--commands N] [--in-flight N] [--only PHASE,...] [--json]")
                print("  --events N     events in the durable end-to-end burst (default 1,000,000)")
                print("  --seconds S    length of each steady-rate phase (default 10)")
                print("  --history N    events in the programs' logs before reporting catches up on them (default 1,000,000)")
                print("  --commands N   commands sent to each program service in its maximum-rate run (default 20,000)")
                print("  --in-flight N  requests outstanding in that run (default 64, what the target is stated at)")
                print("phases: \(Options.phases.joined(separator: ", ")) (default: all)")
                return
            default:
                FileHandle.standardError.write(Data("banshi-bench: unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
        do {
            var report = Report()
            if options.runs("ceilings") { try await Baselines.run(options, into: &report) }
            if options.runs("codec") { try Baselines.codec(options, into: &report) }
            if options.runsAny(PipelineBenchmarks.phases) { try await PipelineBenchmarks.run(options, into: &report) }
            if options.runsAny(ProgramBenchmarks.phases) { try await ProgramBenchmarks.run(options, into: &report) }
            print(options.json ? report.json() : report.markdown())
        } catch {
            FileHandle.standardError.write(Data("banshi-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// The positive whole number that `option` was given, or exits 2 saying what it takes.
private func count(_ option: String, _ value: String?) -> Int {
    guard let value, let number = Int(value.replacingOccurrences(of: "_", with: "")), number > 0 else {
        FileHandle.standardError.write(Data("banshi-bench: \(option) takes a whole number above 0, not \(value.map { "'\($0)'" } ?? "nothing")\n".utf8))
        exit(2)
    }
    return number
}

struct Options {
    var events = 1_000_000
    var seconds = 10
    var history = 1_000_000
    /// Commands per program service in its maximum-rate run: larger runs measure larger tables.
    var commands = 20_000
    /// Requests outstanding in each program service's maximum-rate run: the target is stated at 64, and
    /// other values show how the rate depends on the size of the groups a service commits.
    var inFlight = 64
    var json = false
    /// The phases to run; `nil` runs them all.
    var only: Set<String>?

    static let phases = ["ceilings", "codec"] + PipelineBenchmarks.phases + ProgramBenchmarks.phases

    func runs(_ phase: String) -> Bool { only?.contains(phase) ?? true }
    func runsAny(_ phases: [String]) -> Bool { phases.contains(where: runs) }
}

/// The measured figures, in the order they were taken, each with the host's steal time while it was
/// measured (since the row before).
struct Report {
    struct Row {
        let name: String
        let value: String
        let steal: String
        let note: String
    }

    var rows: [Row] = []
    var values: [String: JSONValue] = [:]
    private var steal: [String: JSONValue] = [:]
    private var stealMark = HostSteal.seconds()

    mutating func add(_ key: String, _ name: String, _ value: JSONValue, display: String, note: String = "") {
        values[key] = value
        var stolen = "–"
        if let now = HostSteal.seconds(), let mark = stealMark {
            steal[key] = .double(now - mark)
            stolen = String(format: "%.2f s", now - mark)
            stealMark = now
        }
        rows.append(Row(name: name, value: display, steal: stolen, note: note))
        FileHandle.standardError.write(Data("bench: \(name): \(display) \(note) (host steal \(stolen))\n".utf8))
    }

    /// Adds p50 / p99 / p999 of `micros`, shown in milliseconds.
    mutating func addPercentiles(_ key: String, _ name: String, _ micros: [Int64], note: String) {
        let values = [0.5, 0.99, 0.999].map { CommandLoad.percentile(micros, $0) }
        add(
            key, name, ["p50": .int(values[0]), "p99": .int(values[1]), "p999": .int(values[2])],
            display: values.map { String(format: "%.2f ms", Double($0) / 1000) }.joined(separator: " / "), note: note)
    }

    func markdown() -> String {
        var text = "| measure | result | host steal | note |\n|---|---|---|---|\n"
        for row in rows { text += "| \(row.name) | \(row.value) | \(row.steal) | \(row.note) |\n" }
        return text
    }

    func json() -> String {
        var members = values
        members["host_steal_seconds"] = .object(steal)
        return JSONValue.object(members).serialized()
    }
}

/// Formats a rate as e.g. `123,456/s`.
func rate(_ count: Int, _ elapsed: Duration) -> (Double, String) {
    let perSecond = Double(count) / max(elapsed.timeInterval, 1e-9)
    return (perSecond, "\(Int(perSecond).formatted())/s")
}

extension Duration {
    /// Whole microseconds, as the latency percentiles are kept.
    var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
