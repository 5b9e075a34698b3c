import ArgumentParser
import BanshiKit
import Foundation

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The suite's configuration file.")
    var config: String = ProcessInfo.processInfo.environment["BANSHI_CONFIG"] ?? "config/banshi.toml"

    @Option(name: .long, help: "How long to wait for a reply, in milliseconds (default: runtime.request_timeout_ms).")
    var timeout: Int?

    @Option(name: .long, help: "With CURVE on: the key to act as, <keys_dir>/NAME.key (default: admin, or $BANSHI_KEY).")
    var key: String = ProcessInfo.processInfo.environment["BANSHI_KEY"] ?? "admin"

    /// The configuration, or a usage error (exit 64) that names the file and key. With CURVE on, it
    /// also makes `--key` the identity every connection of this process uses.
    func loadConfig() throws -> SuiteConfig {
        do {
            return try Self.load(config, key: key)
        } catch {
            throw usageError("\(error)")
        }
    }

    /// Reads the configuration at `path` and, with CURVE on, makes `key` this process's identity.
    static func load(_ path: String, key: String) throws -> SuiteConfig {
        let loaded = try SuiteConfig.load(file: path)
        if loaded.security.curve {
            TransportSecurity.use(try CurveIdentity.load(name: key, settings: loaded.security))
        }
        return loaded
    }

    /// The options every subcommand takes, given before the subcommand (`banshictl --config F status`),
    /// moved to the end where the subcommand reads them; everything else stays in its order.
    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first, ["--config", "--timeout", "--key"].contains(first), rest.count >= 2 {
            leading += rest.prefix(2)
            rest = rest.dropFirst(2)
        }
        guard !leading.isEmpty, !rest.isEmpty else { return arguments }
        if let separator = rest.firstIndex(of: "--") {
            return Array(rest[..<separator]) + leading + Array(rest[separator...])
        }
        return Array(rest) + leading
    }

    func replyTimeout(_ config: SuiteConfig) -> Duration {
        timeout.map { .milliseconds(max(1, $0)) } ?? config.runtime.requestTimeout
    }
}

/// An error banshictl reports on stderr before exiting with `code`.
struct CLIFailure: Error, CustomStringConvertible {
    let message: String
    var code: Int32 = 1
    var description: String { message }
}

/// A usage error found while a command runs (a configuration that does not load, a service it does
/// not name, a file that cannot be read or written): said on stderr as `banshictl: <message>`, exit 64.
/// A `ValidationError` thrown from `run` would have ArgumentParser print the root command's usage
/// under it, which is no help; `validate` still throws those, with the subcommand's usage.
func usageError(_ message: String) -> ExitCode {
    printError("banshictl: \(message)")
    return ExitCode(64)
}

/// Writes `text` and a newline to stderr, after what `print` buffered for stdout: where both go to one
/// pipe (`2>&1`, a log), a note comes after the table it is about, not before it.
func printError(_ text: String) {
    fflush(nil)  // every output stream: stdout is a C global Swift 6 will not touch from here
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes `text` and a newline to stdout at once, unbuffered, for output that others read live.
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Pretty JSON for people, sorted keys so that output is stable.
func prettyJSON(_ value: JSONValue) -> String {
    value.prettyPrinted()
}
