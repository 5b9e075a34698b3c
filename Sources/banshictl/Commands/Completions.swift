import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// What the shell completes (`banshictl --generate-completion-script bash|zsh`, installed by
/// deploy/install.sh): subcommands and options come from the parser; service names from the suite's
/// one list; a service's command names from its `help`, asked with a short timeout of the suite the
/// command line names (`--config`, else $BANSHI_CONFIG or config/banshi.toml), nothing if it is down.
enum Completions {
    static let services = CompletionKind.custom { _, _, prefix in
        (SuiteServices.names + SuiteServices.testSources).filter { $0.hasPrefix(prefix) }
    }

    static let commands = CompletionKind.custom { words, index, prefix in
        // The service is the word before the command being completed: `banshictl call SERVICE <TAB>`.
        guard index >= 1, index - 1 < words.count else { return [] }
        let service = words[index - 1]
        var configPath = ProcessInfo.processInfo.environment["BANSHI_CONFIG"] ?? "config/banshi.toml"
        if let flag = words.firstIndex(of: "--config"), flag + 1 < words.count { configPath = words[flag + 1] }
        guard let config = try? GlobalOptions.load(configPath, key: ProcessInfo.processInfo.environment["BANSHI_KEY"] ?? "admin"),
            let endpoint = config.controlEndpoint(of: service),
            let context = try? Context(),
            let client = try? ControlClient(context: context, service: service, endpoint: endpoint, timeout: .milliseconds(500)),
            let help = try? client.call("help").get()
        else { return [] }
        return (help["commands"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.filter { $0.hasPrefix(prefix) }
    }

}
