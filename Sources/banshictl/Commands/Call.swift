import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// `banshictl call SERVICE COMMAND`: send one command and print its reply.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send a command to a service and print the result.",
        discussion: """
            Arguments come from --json-args, then each key=value after the command and each --arg on top \
            (`banshictl call reporting report program=children format=csv`). A value is typed by the \
            command's own argument list (`help`): for a string argument it is the text as given \
            (--arg contact=13900000000 stays a string); otherwise a value that reads as JSON (a number, \
            true, false, null, an array or object) is that JSON, and anything else a string. \
            `--arg key=@FILE` sends the file's text (a CSV of lab results to samples.import, say). \
            `banshictl call SERVICE help` lists a service's commands (`help NAME` for one, \
            --json for the raw list). A listing's JSON is followed, on stderr, by the `banshictl records` \
            command that shows the same records as a table.
            Exit status: 0 on success, 1 when the service replied with an error, 4 when the service did \
            not answer, 64 on a usage error.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The service (bus, or a [services.NAME] of the configuration).", completion: Completions.services)
    var service: String

    @Argument(help: "The command, e.g. status, help, events.since.", completion: Completions.commands)
    var command: String

    @Argument(help: ArgumentHelp("Arguments after the command, key=value each: the same as --arg.", valueName: "key=value"))
    var pairs: [String] = []

    @Option(name: .customLong("arg"), help: ArgumentHelp("An argument, key=value (repeatable).", valueName: "key=value"))
    var args: [String] = []

    @Option(name: .customLong("json-args"), help: "All arguments as one JSON object.")
    var jsonArgs: String?

    @Option(name: .long, help: "The request id (default: a new time-ordered UUID, v7). Re-sending an id returns the stored reply.")
    var id: String?

    @Flag(name: .long, help: "Print the whole reply as compact JSON.")
    var json = false

    /// The arguments as key=value, those after the command and then the `--arg`s. `help NAME` is read
    /// as `help command=NAME`, the way a person asks for one command's help.
    private var keyValues: [String] {
        let given = command == "help" && pairs.count == 1 && !pairs[0].contains("=") ? ["command=\(pairs[0])"] : pairs
        return given + args
    }

    /// A malformed argument is a usage error, shown with this command's usage.
    func validate() throws {
        _ = try jsonObject()
        for pair in keyValues { _ = try Self.split(pair) }
    }

    /// An argument's key and value text.
    private static func split(_ pair: String) throws -> (key: String, text: String) {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw ValidationError("an argument is key=value (as in --arg after_seq=0), not '\(pair)'")
        }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    func run() throws {
        let call = ServiceCall(global: global, service: service)
        let reply = try call.reply(command, try typed(try parseArguments(), call: call), id: id, resend: true)
        if json {
            print(reply.serialized())
        }
        switch reply.outcome {
        case .success(let result) where command == "help" && !json:
            print(HelpListing.render(result, service: service))
        case .success(let result) where command == "metrics" && !json:
            // The Prometheus text as node_exporter reads it, not a JSON string.
            print(result["content"]?.stringValue ?? prettyJSON(result), terminator: "")
        case .success(let result):
            if !json {
                print(prettyJSON(result))
                // A listing (it names its columns) reads better as a table.
                if result["columns"]?.arrayValue != nil { printError("banshictl: as a table: \(tableCommand())") }
            }
        case .failure(let error):
            if !json {
                ServiceCall.report(error, service: service, command: command)
                // An argument refused: where to read what the command takes.
                if error.code == .invalidArgument, error.details["field"] != nil, command != "help" {
                    printError("banshictl: the arguments of \(command): banshictl call \(service) help \(command)")
                }
            }
            throw ExitCode(1)
        }
    }

    /// The text of `path` for `--arg key=@path`, saying on stderr what is sent (the service answers once
    /// the whole file is in, so that is the progress there is to show).
    static func fileText(_ path: String, for key: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw usageError("--arg \(key)=@\(path): cannot read the file as UTF-8 text")
        }
        let lines = text.split(whereSeparator: \.isNewline).count
        printError("banshictl: sending \((path as NSString).lastPathComponent) (\(lines) lines, \(data.count) bytes) as \(key)…")
        return text
    }

    /// The key=value arguments (after the command or as --arg) whose values read as JSON but belong to
    /// a text argument (string, date, time) of the command, put back as the text given; the service's
    /// `help` says which arguments are text.
    private func typed(_ arguments: [String: JSONValue], call: ServiceCall) throws -> [String: JSONValue] {
        let given = Dictionary(keyValues.compactMap { try? Self.split($0) }, uniquingKeysWith: { _, last in last })
        let retyped = given.filter { key, _ in arguments[key]?.stringValue == nil }
        guard !retyped.isEmpty, command != "help" else { return arguments }
        let help = try call.result("help")["commands"]?.arrayValue ?? []
        let specs = help.first { $0["name"]?.stringValue == command }?["arguments"]?.arrayValue ?? []
        var result = arguments
        for (key, text) in retyped {
            let kind = specs.first { $0["name"]?.stringValue == key }?["type"]?.stringValue
            if ["string", "date", "time"].contains(kind) { result[key] = .string(text) }
        }
        return result
    }

    /// The object `--json-args` gives, empty without it.
    private func jsonObject() throws -> [String: JSONValue] {
        guard let jsonArgs else { return [:] }
        guard let value = try? JSONValue.parse(Array(jsonArgs.utf8)), let object = value.objectValue else {
            throw ValidationError("--json-args must be a JSON object, e.g. '{\"after_seq\": 0}'")
        }
        return object
    }

    /// The `banshictl records` command that shows this listing, with the arguments given after the
    /// command or with --arg as its filters (those of --json-args and files are left out).
    func tableCommand() -> String {
        recordsCommand(
            service: service, listing: command,
            keyValues.compactMap { pair in (try? Self.split(pair)).flatMap { $0.text.hasPrefix("@") ? nil : $0 } })
    }

    private func parseArguments() throws -> [String: JSONValue] {
        var result = try jsonObject()
        for pair in keyValues {
            let (key, text) = try Self.split(pair)
            if text.hasPrefix("@") {
                result[key] = .string(try Self.fileText(String(text.dropFirst()), for: key))
                continue
            }
            result[key] = (try? JSONValue.parse(Array(text.utf8))) ?? .string(text)
        }
        return result
    }
}
