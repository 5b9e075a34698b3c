import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// `banshictl events …`: watch the bus, or read a service's event log.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch live events, or read a service's event log.",
        subcommands: [Tail.self, Since.self])

    /// One line for people: time, source, seq, type, subject, data. The data is cut to 200 columns, or
    /// on a terminal to what fits its width (`...` where none of it fits); `--json` prints it all.
    static func line(_ envelope: EventEnvelope, width: Int? = nil) -> String {
        let head = "\(envelope.time)  \(envelope.service ?? envelope.source)  #\(envelope.seq)  \(envelope.type)  \(envelope.subject ?? "-")  "
        let data = envelope.data.serialized()
        let room = max(width.map { $0 - head.displayWidth } ?? 200, 3)
        guard data.displayWidth > room else { return head + data }
        return head + data.prefix(columns: room - 3) + "..."
    }

    /// The width to fit event lines to: the terminal's, when standard output is one. Read once a
    /// command, not for every event.
    static func lineWidth() -> Int? { isatty(STDOUT_FILENO) == 1 ? Terminal.width : nil }

    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print live events from the bus, one line each (Ctrl-C stops).",
            discussion: """
                With no pattern every event is shown. A pattern is a topic prefix (`children.` selects one \
                service's family) or has `*` for one segment (`*.*.overdue`, `children.*.registered`). \
                --since SERVICE:SEQ first prints SERVICE's logged events after SEQ, then follows live \
                without a gap or a repeat. If no bus answers within the timeout, tail says so and exits 4.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Topic prefixes or patterns with `*` for one segment.")
        var patterns: [String] = []

        @Flag(name: .long, help: "Print each raw envelope as one line of JSON.")
        var json = false

        @Option(name: .long, help: "Stop after this many events.")
        var count: Int?

        @Option(name: .long, help: "Start from a point in a service's log (SERVICE:SEQ), then follow live.")
        var since: String?

        @Flag(name: .long, help: "Show the services' heartbeats too (liveness signals, not events; hidden by default).")
        var heartbeats = false

        func validate() throws {
            if let count, count < 1 { throw ValidationError("--count must be 1 or more") }
            if let since, Self.point(since) == nil { throw ValidationError("--since is SERVICE:SEQ (e.g. children:120), not '\(since)'") }
        }

        /// `SERVICE:SEQ` split, or nil.
        static func point(_ text: String) -> (service: String, seq: Int64)? {
            guard let colon = text.lastIndex(of: ":"), let seq = Int64(text[text.index(after: colon)...]), seq >= 0 else { return nil }
            let service = String(text[..<colon])
            return service.isEmpty ? nil : (service, seq)
        }

        func run() throws {
            let config = try global.loadConfig()
            let width = Events.lineWidth()
            let selectors = patterns.map(TopicPattern.init)
            let timeout = global.replyTimeout(config)
            let subscriber = try Socket(Context(), .sub)
            try TransportSecurity.current?.secureClient(subscriber, peer: "bus")
            try subscriber.setLinger(.zero)
            let monitor = try subscriber.monitor(at: "inproc://tail-monitor")
            // Subscribed before the catch-up, so that nothing published meanwhile is missed.
            for subscription in Set(selectors.isEmpty ? [""] : selectors.map(\.subscription)) {
                try subscriber.subscribe(subscription)
            }
            // Every bus: a copy of an event from a second bus is passed over by its seq.
            for endpoint in config.subscribeEndpoints { try subscriber.connect(endpoint) }
            var printed = 0
            var shown: [String: Int64] = [:]
            if let since, let point = Self.point(since) {
                let endpoint = try controlEndpoint(of: point.service, in: config, option: "--since")
                let client = try ControlClient(context: Context(), service: point.service, endpoint: endpoint, timeout: timeout, watchHandshakes: true)
                var last = point.seq
                try Events.page(client, service: point.service, after: point.seq, limit: nil) { event in
                    last = event["seq"]?.intValue ?? last
                    guard let envelope = try? EventEnvelope(json: event), TopicPattern.any(selectors, match: envelope.type) else { return true }
                    printLine(json ? event.serialized() : Events.line(envelope, width: width))
                    printed += 1
                    return count.map { printed < $0 } ?? true
                }
                shown[point.service] = last
            }
            var bus = BusWatch(endpoints: config.subscribeEndpoints, timeout: timeout)
            let poller = Poller()
            let events = poller.add(subscriber)
            let status = poller.add(monitor)
            while count.map({ printed < $0 }) ?? true {
                _ = try poller.poll(timeout: .milliseconds(200))
                if poller.isReadable(status) {
                    while let event = try monitor.nextEvent(dontWait: true) { try bus.observe(event.kind) }
                }
                try bus.checkDeadline()
                guard poller.isReadable(events) else { continue }
                while count.map({ printed < $0 }) ?? true, let parts = try subscriber.receiveMultipart(dontWait: true) {
                    if show(parts, selectors: selectors, width: width, shown: &shown) { printed += 1 }
                }
            }
        }

        /// Prints one message from the bus if it is selected and not shown already (by the catch-up, or
        /// as a copy from another bus: `shown` holds the last seq printed per service); whether it did.
        private func show(_ parts: [[UInt8]], selectors: [TopicPattern], width: Int?, shown: inout [String: Int64]) -> Bool {
            guard parts.count == 2 else {
                printError("banshictl: skipped a message of \(parts.count) frames (an event is [topic, envelope])")
                return false
            }
            let topic = String(decoding: parts[0], as: UTF8.self)
            // A heartbeat is a valid envelope of its own shape (no flow), not an event of the log.
            if Heartbeat.isHeartbeat(topic: parts[0]) {
                guard heartbeats else { return false }
                printLine(topic + "  " + String(decoding: parts[1], as: UTF8.self))
                return true
            }
            guard TopicPattern.any(selectors, match: topic) else { return false }
            do {
                let envelope = try EventEnvelope.decode(parts[1])
                let service = envelope.service ?? envelope.source
                if let last = shown[service], envelope.seq <= last { return false }
                shown[service] = envelope.seq
                printLine(json ? String(decoding: parts[1], as: UTF8.self) : Events.line(envelope, width: width))
                return true
            } catch {
                printError("banshictl: skipped a malformed event on topic \(topic): \(error)")
                return false
            }
        }
    }

    /// Pages `service`'s `events.since` after `after`, handing each event to `body` until the log ends,
    /// `limit` events were read, or `body` returns false. A failed call exits 4 (no reply) or 1.
    static func page(
        _ client: ControlClient, service: String, after: Int64, limit: Int?, _ body: (JSONValue) throws -> Bool
    ) throws {
        var after = after
        var read = 0
        while limit.map({ read < $0 }) ?? true {
            let size = min(1000, limit.map { $0 - read } ?? 1000)
            let result: JSONValue
            do {
                result = try client.call("events.since", ["after_seq": .int(after), "limit": .int(Int64(size))]).get()
            } catch {
                printError("banshictl: \(service) events.since: \(error)")
                throw ExitCode(error is ControlClientError ? 4 : 1)
            }
            let events = result["events"]?.arrayValue ?? []
            for event in events {
                after = event["seq"]?.intValue ?? after
                read += 1
                guard try body(event) else { return }
            }
            if events.isEmpty || result["has_more"]?.boolValue != true { return }
        }
    }

    struct Since: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a service's logged events with seq greater than SEQ.",
            discussion: """
                Pages through events.since until the end of the log, or --limit events. The point is \
                SERVICE SEQ, or SERVICE:SEQ as `events tail --since` takes it (`events since children:120`).
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The service whose event log to read (or SERVICE:SEQ).", completion: Completions.services)
        var service: String

        @Argument(help: "Print events after this seq (0: from the start).")
        var seq: Int64?

        func validate() throws {
            switch (Tail.point(service), seq) {
            case (nil, nil) where service.contains(":"):
                throw ValidationError("the point is SERVICE:SEQ (e.g. children:120), not '\(service)'")
            case (nil, nil): throw ValidationError("give the seq to start after: `events since \(service) 0`, or \(service):0")
            case (.some, .some): throw ValidationError("give the seq once: \(service), or \(service.split(separator: ":").first ?? "") \(seq ?? 0)")
            case (nil, let seq?) where seq < 0: throw ValidationError("SEQ must be 0 or more")
            default: break
            }
        }

        /// The service and seq, from SERVICE SEQ or SERVICE:SEQ.
        private var point: (service: String, seq: Int64) { Tail.point(service) ?? (service, seq ?? 0) }

        @Option(name: .long, help: "Print at most this many events.")
        var limit: Int?

        @Flag(name: .long, help: "Print each raw envelope as one line of JSON.")
        var json = false

        func run() throws {
            let config = try global.loadConfig()
            let (service, seq) = point
            let endpoint = try controlEndpoint(of: service, in: config)
            let client = try ControlClient(
                context: Context(), service: service, endpoint: endpoint, timeout: global.replyTimeout(config), watchHandshakes: true)
            let width = Events.lineWidth()
            try Events.page(client, service: service, after: seq, limit: limit) { event in
                if json {
                    print(event.serialized())
                } else if let envelope = try? EventEnvelope(json: event) {
                    print(Events.line(envelope, width: width))
                }
                return true
            }
        }
    }
}
