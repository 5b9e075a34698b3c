/// A service's heartbeat on the bus: topic `<service>.heartbeat.sent`, a CloudEvents envelope whose
/// `data` says how far the service's event log reaches.
///
/// A heartbeat is not part of the event log, so its envelope has no `seq`; `data.last_seq` is the
/// log's end. A subscriber whose cursor is behind it has lost a tail and fetches it with
/// `events.since`, even when no new event follows. A source that sends heartbeats but no events is
/// idle; one whose heartbeats stop (for three intervals) is unreachable.
public struct Heartbeat: Sendable, Equatable {
    public let service: String
    public let lastSeq: Int64
    public let interval: Duration
    public let time: Timestamp

    /// The topic of `service`'s heartbeats.
    public static func topic(of service: String) -> String { "\(service).heartbeat.sent" }

    /// Whether `topic` is a heartbeat topic.
    public static func isHeartbeat(topic: some BidirectionalCollection<UInt8>) -> Bool {
        topic.count > 15 && topic.suffix(15).elementsEqual(".heartbeat.sent".utf8)
    }

    /// Reads a heartbeat envelope; `nil` when it is not one.
    public init?(envelope bytes: [UInt8]) {
        guard let value = try? JSONValue.parse(bytes), let type = value["type"]?.stringValue,
            type.hasSuffix(".heartbeat.sent"), let service = value["source"]?.stringValue.flatMap(EventEnvelope.service(ofSource:)),
            let lastSeq = value["data"]?["last_seq"]?.intValue, let intervalMillis = value["data"]?["interval_ms"]?.intValue,
            let time = value["time"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        self.service = service
        self.lastSeq = lastSeq
        self.interval = .milliseconds(intervalMillis)
        self.time = time
    }
}

/// How a socket loop publishes its service's heartbeat.
public struct HeartbeatSchedule: Sendable {
    public let service: String
    public let interval: Duration
    let startedAt: String

    public init(service: String, interval: Duration, startedAt: Timestamp = Timestamp()) {
        self.service = service
        self.interval = interval
        self.startedAt = Timestamp.format(startedAt)
    }

    /// The heartbeat's two frames.
    func frames(lastSeq: Int64, now: Timestamp) -> [[UInt8]] {
        let millis = interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
        let envelope: JSONValue = [
            "specversion": "1.0", "id": .string(EventID.next()),
            "source": .string(EventEnvelope.source(of: service)), "type": .string(Heartbeat.topic(of: service)),
            "time": .string(Timestamp.format(now)), "datacontenttype": "application/json",
            "data": [
                "last_seq": .int(lastSeq), "interval_ms": .int(millis), "started_at": .string(startedAt),
                "pid": .int(Int64(ProcessEnvironment.id)),
            ],
        ]
        return [Array(Heartbeat.topic(of: service).utf8), Array(envelope.serialized().utf8)]
    }
}
