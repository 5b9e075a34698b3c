import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// `banshictl events …`: watch the bus, or read a service's event log.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch live events, or read a service's event log.",
        subcommands: [Tail.self, Since.self])

    /// One line for people: time, source, seq, type, subject, data.
    static func line(_ envelope: EventEnvelope) -> String {
        var data = envelope.data.serialized()
        if data.count > 200 { data = String(data.prefix(197)) + "..." }
        return "\(envelope.time)  \(envelope.service ?? envelope.source)  #\(envelope.seq)  \(envelope.type)  \(envelope.subject ?? "-")  \(data)"
    }

    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print live events from the bus, one line each (Ctrl-C stops).",
            discussion: "With no prefix every event is shown; `children.` selects one service's family.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Topic prefixes to subscribe to.")
        var prefixes: [String] = []

        @Flag(name: .long, help: "Print each raw envelope as one line of JSON.")
        var json = false

        @Option(name: .long, help: "Stop after this many events.")
        var count: Int?

        @Flag(name: .long, help: "Show the services' heartbeats too (liveness signals, not events; hidden by default).")
        var heartbeats = false

        func run() throws {
            let config = try global.loadConfig()
            let subscriber = try Socket(Context(), .sub)
            try TransportSecurity.current?.secureClient(subscriber, peer: "bus")
            try subscriber.setLinger(.zero)
            try subscriber.connect(config.bus.subscribe)
            for prefix in prefixes.isEmpty ? [""] : prefixes {
                try subscriber.subscribe(prefix)
            }
            var seen = 0
            while count.map({ seen < $0 }) ?? true {
                guard let parts = try subscriber.receiveMultipart() else { continue }
                guard parts.count == 2 else {
                    printError("banshictl: skipped a message of \(parts.count) frames (an event is [topic, envelope])")
                    continue
                }
                // A heartbeat is a valid envelope of its own shape (no flow), not an event of the log.
                if Heartbeat.isHeartbeat(topic: parts[0]) {
                    guard heartbeats else { continue }
                    printLine(String(decoding: parts[0], as: UTF8.self) + "  " + String(decoding: parts[1], as: UTF8.self))
                    seen += 1
                    continue
                }
                do {
                    let envelope = try EventEnvelope.decode(parts[1])
                    printLine(json ? String(decoding: parts[1], as: UTF8.self) : Events.line(envelope))
                } catch {
                    printError("banshictl: skipped a malformed event on topic \(String(decoding: parts[0], as: UTF8.self)): \(error)")
                    continue
                }
                seen += 1
            }
        }
    }

    struct Since: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a service's logged events with seq greater than SEQ.",
            discussion: "Pages through events.since until the end of the log, or --limit events.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The service whose event log to read.")
        var service: String

        @Argument(help: "Print events after this seq (0: from the start).")
        var seq: Int64

        @Option(name: .long, help: "Print at most this many events.")
        var limit: Int?

        @Flag(name: .long, help: "Print each raw envelope as one line of JSON.")
        var json = false

        func run() throws {
            let config = try global.loadConfig()
            guard let endpoint = config.controlEndpoint(of: service) else {
                throw ValidationError("no service '\(service)' in \(config.file)")
            }
            guard seq >= 0 else { throw ValidationError("SEQ must be 0 or more") }
            let client = try ControlClient(context: Context(), service: service, endpoint: endpoint, timeout: global.replyTimeout(config))
            var after = seq
            var printed = 0
            while limit.map({ printed < $0 }) ?? true {
                let page = min(1000, limit.map { $0 - printed } ?? 1000)
                let result: JSONValue
                do {
                    result = try client.call("events.since", ["after_seq": .int(after), "limit": .int(Int64(page))]).get()
                } catch {
                    printError("banshictl: \(service) events.since: \(error)")
                    throw ExitCode(error is ControlClientError ? 4 : 1)
                }
                let events = result["events"]?.arrayValue ?? []
                for event in events {
                    if json {
                        print(event.serialized())
                    } else if let envelope = try? EventEnvelope(json: event) {
                        print(Events.line(envelope))
                    }
                    after = event["seq"]?.intValue ?? after
                    printed += 1
                }
                if events.isEmpty || result["has_more"]?.boolValue != true { break }
            }
        }
    }
}
