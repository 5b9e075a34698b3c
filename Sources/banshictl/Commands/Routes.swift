import ArgumentParser
import BanshiKit
import Foundation

/// `banshictl routes …`: the coordinator's rules, their statistics and switches.
struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The coordinator's routing rules: list, statistics, switch on or off, reload.",
        subcommands: [List.self, Stats.self, Disable.self, Enable.self, Reload.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The rules in force and whether each is on.")
        @OptionGroup var options: RecordOptions

        func run() throws {
            try options.show(service: "coordinator", "routes.list", [:]) { result in
                let rows = (result["routes"]?.arrayValue ?? []).map { route -> JSONValue in
                    guard case .object(var object) = route else { return route }
                    object["state"] = route["enabled"] == true ? "on" : "off"
                    return .object(object)
                }
                return "rules from \(cell(result["file"]))\n\n" + recordTable(rows, [
                    ("RULE", "id"), ("STATE", "state"), ("TOPIC", "topic"), ("TARGET", "target"), ("COMMAND", "command"),
                ])
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per rule: routes pending, delivered and dead, attempts, last delivery.")
        @OptionGroup var options: RecordOptions

        func run() throws {
            try options.show(service: "coordinator", "routes.stats", [:]) { result in
                recordTable(result["routes"]?.arrayValue, [
                    ("RULE", "rule_id"), ("PENDING", "pending"), ("DELIVERED", "delivered"), ("DEAD", "dead"), ("ATTEMPTS", "attempts"),
                    ("LAST DELIVERED", "last_delivered_at"),
                ])
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch a rule off (until enabled again; survives restarts).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The rule id.") var ruleID: String

        func run() throws {
            try options.show(service: "coordinator", "routes.disable", ["rule_id": .string(ruleID)]) { _ in "\(ruleID): off" }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch a rule on.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The rule id.") var ruleID: String

        func run() throws {
            try options.show(service: "coordinator", "routes.enable", ["rule_id": .string(ruleID)]) { _ in "\(ruleID): on" }
        }
    }

    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the rule file again (a bad file is refused; the old rules stay).")
        @OptionGroup var options: RecordOptions

        func run() throws {
            try options.show(service: "coordinator", "rules.reload", [:]) { result in
                "reloaded \(cell(result["file"])): \(result["rules"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? "")"
            }
        }
    }
}

/// `banshictl dlq …`: routes that failed for good.
struct DeadLetters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "The coordinator's dead-letter list: list, and retry one.", subcommands: [List.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Routes that failed for good, with their last error.")
        @OptionGroup var options: RecordOptions

        func run() throws {
            try options.show(service: "coordinator", "dlq.list", [:]) { result in
                recordTable(result["dead"]?.arrayValue, [
                    ("DELIVERY", "id"), ("TARGET", "target"), ("COMMAND", "command"), ("ATTEMPTS", "attempts"), ("FAILED", "settled_at"),
                    ("ERROR", "last_error"),
                ])
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a dead route back for delivery, rebuilt with the current rule.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "The delivery id (<rule>/<event id>).") var deliveryID: String

        func run() throws {
            try options.show(service: "coordinator", "dlq.retry", ["delivery_id": .string(deliveryID)]) { _ in "\(deliveryID): requeued" }
        }
    }
}
