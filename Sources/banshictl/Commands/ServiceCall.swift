import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// The control endpoint of `service`; a usage error naming the services configured when it is none
/// of them.
func controlEndpoint(of service: String, in config: SuiteConfig, option: String? = nil) throws -> String {
    guard let endpoint = config.controlEndpoint(of: service) else {
        throw usageError(
            "\(option.map { "\($0): " } ?? "")no service '\(service)' in \(config.file); configured: "
                + (["bus"] + config.services.map(\.name)).joined(separator: ", "))
    }
    return endpoint
}

/// One command to one service, as every banshictl subcommand sends it.
struct ServiceCall {
    let global: GlobalOptions
    let service: String

    /// The reply, or exit 4 (after saying which service did not answer) when none came. `resend`: say,
    /// when no answer came, how to wait for it without running the command twice (`banshictl call`).
    func reply(_ command: String, _ args: [String: JSONValue] = [:], id: String? = nil, resend: Bool = false) throws -> CommandReply {
        let config = try global.loadConfig()
        let endpoint = try controlEndpoint(of: service, in: config)
        let request = CommandRequest(id: id ?? EventID.next(), command: command, args: args)
        do {
            let client = try ControlClient(context: Context(), service: service, endpoint: endpoint, timeout: global.replyTimeout(config), watchHandshakes: true)
            return try client.call(request)
        } catch {
            printError("banshictl: \(error)")
            if resend, case ControlClientError.timeout = error {
                // A slow command (a large evidence file hashed) may still be running, and a new request
                // would run it again; the same id returns its stored reply once it is done.
                printError("banshictl: it may still be running; to wait for its answer without running it twice, send it again with")
                printError("           --id \(request.id) --timeout 60000")
            }
            throw ExitCode(4)
        }
    }

    /// The result, or exit 1 after printing the service's error.
    func result(_ command: String, _ args: [String: JSONValue] = [:]) throws -> JSONValue {
        switch try reply(command, args).outcome {
        case .success(let result): return result
        case .failure(let error):
            Self.report(error, service: service, command: command)
            throw ExitCode(1)
        }
    }

    /// Prints a service's error for a person.
    static func report(_ error: CommandError, service: String, command: String) {
        var text = "banshictl: \(service) \(command): \(error.code.rawValue): \(error.message)"
        if !error.details.isEmpty { text += " \(JSONValue.object(error.details).serialized())" }
        printError(text)
    }
}

/// A JSON value as a table cell: strings bare, null as "-", everything else as compact JSON.
func cell(_ value: JSONValue?) -> String {
    switch value {
    case nil, .null?: "-"
    case .string(let text)?: text
    case let other?: other.serialized()
    }
}
