#if canImport(Glibc)
import Glibc
#endif

/// One event as it travels on the bus: a CloudEvents 1.0 structured-mode JSON object with Banshi's
/// extension attributes `seq`, `correlationid` and `causationid`.
///
/// The ZeroMQ message is two frames, `[topic, envelope]`, where the topic equals `type`.
public struct EventEnvelope: Sendable, Equatable {
    public var specversion: String
    /// Unique per source (a UUID).
    public var id: String
    /// `/banshi/<service>`.
    public var source: String
    /// The event type, equal to the topic.
    public var type: String
    /// RFC 3339, UTC.
    public var time: String
    /// The entity the event concerns, e.g. `case/C-2021-0042`.
    public var subject: String?
    public var datacontenttype: String
    /// The payload. For minors it holds opaque ids only.
    public var data: JSONValue
    /// The position in the source's event log: from 1, no gaps, no repeats.
    public var seq: Int64
    /// The flow this event belongs to (its own id when it starts one).
    public var correlationid: String
    /// The event or command that caused this one, when there is one.
    public var causationid: String?

    public init(
        id: String = EventID.next(), service: String, type: Topic, time: Timestamp, subject: String?,
        data: JSONValue, seq: Int64, correlationid: String? = nil, causationid: String? = nil
    ) {
        self.init(
            id: id, source: Self.source(of: service), type: type.description, time: Timestamp.format(time),
            subject: subject, data: data, seq: seq, correlationid: correlationid, causationid: causationid)
    }

    /// An envelope from parts already formatted: the append path formats `source` and `time` once per
    /// command, not once per event.
    init(
        id: String, source: String, type: String, time: String, subject: String?, data: JSONValue, seq: Int64,
        correlationid: String?, causationid: String?
    ) {
        self.specversion = "1.0"
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.subject = subject
        self.datacontenttype = "application/json"
        self.data = data
        self.seq = seq
        self.correlationid = correlationid ?? id
        self.causationid = causationid
    }

    /// The CloudEvents `source` of a Banshi service.
    public static func source(of service: String) -> String { "/banshi/\(service)" }

    /// The service that published this event, from its `source`.
    public var service: String? { Self.service(ofSource: source) }

    /// The service named by a CloudEvents `source` of the form `/banshi/<service>`; `nil` for another form.
    static func service(ofSource source: String) -> String? {
        serviceName(in: source) { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `body` on the bytes after `/banshi/` in `source`; `nil` when it does not start so.
    private static func serviceName<T>(in source: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        var source = source
        return source.withUTF8 { bytes in
            guard bytes.count >= 8, memcmp(bytes.baseAddress!, "/banshi/", 8) == 0 else { return nil }
            return body(UnsafeBufferPointer(rebasing: bytes[8...]))
        }
    }

    /// The envelope's JSON text, members in a fixed order. Written by hand because every event is
    /// serialized once on its way into the log, and this is on the append path.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        func member(_ name: StaticString, _ value: String) {
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            JSONValue.writeString(value, to: &out)
        }
        member("{\"specversion\":", specversion)
        member(",\"id\":", id)
        member(",\"source\":", source)
        member(",\"type\":", type)
        member(",\"time\":", time)
        if let subject { member(",\"subject\":", subject) }
        member(",\"datacontenttype\":", datacontenttype)
        out.append(contentsOf: ",\"seq\":".utf8)
        JSONValue.writeInteger(seq, to: &out)
        member(",\"correlationid\":", correlationid)
        if let causationid { member(",\"causationid\":", causationid) }
        out.append(contentsOf: ",\"data\":".utf8)
        data.write(to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The envelope's JSON text.
    public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

    /// The two ZeroMQ frames of this event: `[topic, envelope]`.
    public func frames() -> [[UInt8]] {
        [Array(type.utf8), serializedBytes()]
    }

    /// Decodes and checks an envelope frame; throws `EnvelopeError` naming what is wrong.
    public static func decode(_ bytes: [UInt8]) throws(EnvelopeError) -> EventEnvelope {
        try bytes.withUnsafeBufferPointer { bytes throws(EnvelopeError) in try decode(bytes) }
    }

    /// The same from bytes lent for the call, such as a frame where libzmq holds it.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(EnvelopeError) -> EventEnvelope {
        try decode(bytes.assumingMemoryBound(to: UInt8.self))
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(EnvelopeError) -> EventEnvelope {
        let fields: Fields
        do {
            fields = try JSONParser.withParser(bytes) { parser throws(JSONParser.Failure) in try Fields.read(&parser) }
        } catch {
            throw EnvelopeError(reason: "not a JSON object: \(error)")
        }
        return try EventEnvelope(fields)
    }

    /// Reads an envelope at the parser's position (an element of an `events.since` page, say), with
    /// its text as it stands in the input.
    static func readReceived(_ parser: inout JSONParser) throws -> ReceivedEvent {
        let start = parser.offset
        let fields = try Fields.read(&parser)
        return ReceivedEvent(envelope: try EventEnvelope(fields), encoded: parser.text(from: start))
    }

    /// The envelope's members as they are read; other extension attributes are ignored. Every event
    /// a subscriber receives passes here, so the members are pulled one by one and matched by their
    /// bytes, without a dictionary or a string per name; only `data` becomes a JSON tree.
    private struct Fields {
        static let members = Member.allCases
        static let names = JSONParser.MemberNames(members.map(\.rawValue))

        enum Member: String, CaseIterable {
            case specversion, id, source, type, time, subject, datacontenttype, correlationid, causationid, seq, data

            /// The value every envelope has, for the members with one.
            var usualValue: String? {
                switch self {
                case .specversion: "1.0"
                case .datacontenttype: "application/json"
                default: nil
                }
            }
        }

        static func read(_ parser: inout JSONParser) throws(JSONParser.Failure) -> Fields {
            var fields = Fields()
            try parser.beginObject()
            var expected = 0
            while let position = try parser.nextMember(among: names, expected: expected) {
                guard position < Self.members.count else {
                    _ = try parser.value()
                    continue
                }
                expected = position + 1
                let member = Self.members[position]
                switch member {
                case .data: fields.data = try parser.value()
                case .seq: fields.seq = try parser.value()
                default: fields.set(member, try fields.text(member, &parser))
                }
            }
            return fields
        }

        var specversion, id, source, type, time, subject, datacontenttype, correlationid, causationid: String?
        var data: JSONValue = .null
        var seq: JSONValue?
        var wrongType: String?

        /// A string member's value; `nil` for `null`, and for any other value, which is noted.
        private mutating func text(_ member: Member, _ parser: inout JSONParser) throws(JSONParser.Failure) -> String? {
            if parser.atString {
                guard let usual = member.usualValue else { return try parser.string() }
                return try parser.string(usually: usual)
            }
            if parser.atNull {
                try parser.null()
            } else {
                _ = try parser.value()
                wrongType = member.rawValue
            }
            return nil
        }

        /// The members of an envelope already parsed into a tree.
        init(_ members: [String: JSONValue]) {
            for (key, value) in members {
                guard let member = Member(rawValue: key) else { continue }
                switch (member, value) {
                case (.data, _): data = value
                case (.seq, _): seq = value
                case (_, .null): set(member, nil)
                case (_, .string(let text)): set(member, text)
                default: wrongType = key
                }
            }
        }

        init() {}

        mutating func set(_ member: Member, _ text: String?) {
            switch member {
            case .specversion: specversion = text
            case .id: id = text
            case .source: source = text
            case .type: type = text
            case .time: time = text
            case .subject: subject = text
            case .datacontenttype: datacontenttype = text
            case .correlationid: correlationid = text
            case .causationid: causationid = text
            case .seq, .data: break
            }
        }
    }

    private init(_ fields: consuming Fields) throws(EnvelopeError) {
        if let key = fields.wrongType { throw EnvelopeError(reason: "'\(key)' must be a string") }
        // `take()` moves each value out of the fields, which are not used again.
        func required(_ value: String?, _ name: String) throws(EnvelopeError) -> String {
            guard let value else { throw EnvelopeError(reason: "'\(name)' must be a string") }
            return value
        }
        specversion = try required(fields.specversion.take(), "specversion")
        id = try required(fields.id.take(), "id")
        source = try required(fields.source.take(), "source")
        type = try required(fields.type.take(), "type")
        time = try required(fields.time.take(), "time")
        subject = fields.subject.take()
        datacontenttype = try required(fields.datacontenttype.take(), "datacontenttype")
        correlationid = try required(fields.correlationid.take(), "correlationid")
        causationid = fields.causationid.take()
        data = fields.data
        guard case .int(let seq)? = fields.seq else { throw EnvelopeError(reason: "'seq' must be an integer") }
        self.seq = seq
        try validate()
    }

    /// Reads and checks an envelope from its JSON object.
    public init(json value: JSONValue) throws(EnvelopeError) {
        guard case .object(let members) = value else { throw EnvelopeError(reason: "an envelope is a JSON object") }
        try self.init(Fields(members))
    }

    /// Checks the invariants the contract fixes.
    public func validate() throws(EnvelopeError) {
        guard specversion == "1.0" else { throw EnvelopeError(reason: "specversion must be 1.0, not \(specversion)") }
        guard !id.isEmpty else { throw EnvelopeError(reason: "id is empty") }
        guard Self.serviceName(in: source, Topic.isValidPart(bytes:)) == true else {
            throw EnvelopeError(reason: "source must be /banshi/<service>, not \(source)")
        }
        if !Topic.isValid(type) {
            do { _ = try Topic(type) } catch { throw EnvelopeError(reason: error.message) }
        }
        guard seq >= 1 else { throw EnvelopeError(reason: "seq must be at least 1, not \(seq)") }
        guard Timestamp.parse(time) != nil else { throw EnvelopeError(reason: "time is not RFC 3339: \(time)") }
        guard datacontenttype == "application/json" else {
            throw EnvelopeError(reason: "datacontenttype must be application/json")
        }
    }
}

/// An event frame that does not meet the contract.
public struct EnvelopeError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
