import ArgumentParser
import BanshiKit
import Foundation
import Synchronization
import ZeroMQ

/// `banshictl status`: every configured service, up or down.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every configured service: up or down, version, pid, uptime, last seq, endpoints.",
        discussion: """
            Below the tables: each service's warnings (a handshake with the bus that fails, so that its \
            events reach no one or none reach it; data an operator must extend before a day comes, such \
            as next year's working-day calendar), integrity alarms and buses down. Exits 0 when every \
            service answers, 3 when any is down or refuses the key (STATE `refused`: revoked, not on its \
            allow-list, or a subscriber's) or its handshake fails (STATE `handshake failed`: CURVE on at \
            one end only, or a wrong <service>.pub).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let config = try global.loadConfig()
        let buses = Set(config.buses.map(\.name))
        let answers = ControlClient.callEach(config.controlEndpoints, command: "status", timeout: global.replyTimeout(config), context: try Context(), watchHandshakes: true)
        if json {
            let entries: [JSONValue] = answers.map { answer in
                switch answer.outcome {
                case .success(let result):
                    var members = result.objectValue ?? [:]
                    members["service"] = .string(answer.service)
                    members["state"] = "up"
                    members["control"] = .string(answer.endpoint)
                    return .object(members)
                case .failure(let error):
                    return [
                        "service": .string(answer.service), "state": .string(Self.state(error)), "control": .string(answer.endpoint),
                        "error": .string("\(error)"),
                    ]
                }
            }
            print(prettyJSON(["services": .array(entries)]))
        } else {
            var table = Table(["SERVICE", "STATE", "VERSION", "PID", "UPTIME", "LAST SEQ", "CONTROL"])
            var notes: [String] = []
            for answer in answers {
                switch answer.outcome {
                case .success(let result):
                    table.add([
                        answer.service, "up", result["version"]?.stringValue ?? "-",
                        result["pid"]?.intValue.map(String.init) ?? "-",
                        formatUptime(result["uptime_seconds"]?.doubleValue ?? 0),
                        result["last_seq"]?.intValue.map(String.init) ?? "-", answer.endpoint,
                    ])
                    if buses.contains(answer.service) {
                        // Two lines, so that each fits a terminal with tcp:// endpoints.
                        notes.append(
                            "\(answer.service): \(result["publishers"]?.intValue ?? 0) publishers, \(result["subscribers"]?.intValue ?? 0) subscribers, "
                                + "\(result["messages_forwarded"]?.intValue ?? 0) messages forwarded")
                        notes.append(
                            "\(answer.service): publishers connect to \(result["publish_endpoint"]?.stringValue ?? "?"), "
                                + "subscribers to \(result["subscribe_endpoint"]?.stringValue ?? "?")")
                        if let refused = result["events_refused"]?.intValue, refused > 0 {
                            notes.append("\(answer.service): REFUSED \(refused) events published in another service's name (the bus log names the keys)")
                        }
                    }
                    // Data an operator must extend before a day comes (next year's calendar, say).
                    for warning in result["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                        notes.append("\(answer.service): WARNING: \(warning)")
                    }
                    for (source, entry) in (result["subscriptions"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                        guard let alarms = entry["integrity_alarms"]?.intValue, alarms > 0 else { continue }
                        notes.append(
                            "\(answer.service): INTEGRITY ALARM: \(alarms) forged event(s) claiming \(source); last: \(entry["last_alarm"]?.stringValue ?? "?")")
                    }
                case .failure(let error):
                    table.add([answer.service, Self.state(error), "-", "-", "-", "-", answer.endpoint])
                    notes.append("\(answer.service): \(error)")
                }
            }
            print(table.render())
            // A key every service refused is one note, not one per service.
            let refusals = answers.compactMap { answer -> String? in
                guard case .failure(ControlClientError.refused(_, _, let key)) = answer.outcome else { return nil }
                return key
            }
            if refusals.count == answers.count, let key = refusals.first, refusals.allSatisfy({ $0 == key }) {
                notes = [
                    "every service refused key '\(key)' at the handshake: \(ControlClientError.refusalReasons); "
                        + "`banshictl keys list` shows the keys and roles"
                ]
            }
            // So is CURVE off here against services that run it.
            if answers.allSatisfy({ if case .failure(ControlClientError.handshakeFailed(_, _, _, nil)) = $0.outcome { true } else { false } }) {
                notes = ["every service's handshake failed: \(ControlClientError.handshakeCheck(serverKey: nil, peer: "the services"))"]
            }
            let busesDown = answers.filter { answer in
                guard buses.contains(answer.service), case .failure(let error) = answer.outcome else { return false }
                return Self.state(error) == "down"
            }
            if buses.count > 1, !busesDown.isEmpty {
                let up = buses.count - busesDown.count
                notes.insert(
                    up > 0
                        ? "\(busesDown.count) of \(buses.count) buses down (\(busesDown.map(\.service).joined(separator: ", "))): events still flow through the other\(up == 1 ? "" : "s")"
                        : "every bus is down: no event reaches a subscriber until one is back (nothing is lost: subscribers catch up from the logs)",
                    at: 0)
            }
            let lag = lagTable(answers)
            if !lag.rows.isEmpty { print("\n" + lag.render()) }
            // Each note wrapped to the terminal, its continuation lines indented.
            if !notes.isEmpty { print("\n" + notes.map(\.paragraph).joined(separator: "\n")) }
        }
        if answers.contains(where: { if case .failure = $0.outcome { true } else { false } }) {
            throw ExitCode(3)
        }
    }

    /// A service that gave no answer: `refused` when it turned the key away at the handshake, `handshake
    /// failed` when the handshake failed otherwise (it is up, both ways), else `down`.
    static func state(_ error: any Error) -> String {
        switch error {
        case ControlClientError.refused: "refused"
        case ControlClientError.handshakeFailed: "handshake failed"
        default: "down"
        }
    }

    /// One row per subscriber and source: how far it has applied, how far the source's log reaches.
    private func lagTable(_ answers: [ServiceAnswer]) -> Table {
        var table = Table(["SUBSCRIBER", "SOURCE", "APPLIED", "LATEST", "LAG", "SOURCE STATE", "LAST HEARD"])
        for answer in answers {
            guard case .success(let result) = answer.outcome, let subscriptions = result["subscriptions"]?.objectValue else { continue }
            for source in subscriptions.keys.sorted() {
                let entry = subscriptions[source]!
                table.add([
                    answer.service, source, entry["applied_seq"]?.intValue.map(String.init) ?? "-",
                    entry["latest_seq"]?.intValue.map(String.init) ?? "-", entry["lag"]?.intValue.map(String.init) ?? "-",
                    entry["source_state"]?.stringValue ?? "-", entry["last_heard"]?.stringValue ?? "never",
                ])
            }
        }
        return table
    }

    private func formatUptime(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(total % 60)s" }
        if total < 86400 { return "\(total / 3600)h\(total % 3600 / 60)m" }
        return "\(total / 86400)d\(total % 86400 / 3600)h"
    }
}

/// One service's answer to a command sent to many.
