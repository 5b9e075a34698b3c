/// One field of an event's `data`: what the JSON Schema says about it and what `emit` checks.
public struct FieldSpec: Sendable {
    /// The JSON shapes a field can take.
    public enum Kind: String, Sendable {
        case string, integer, number, boolean
        /// An RFC 3339 time string.
        case time
        /// A calendar day, `YYYY-MM-DD`.
        case date
        /// An array of strings.
        case strings
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    public let choices: [String]?
    public let summary: String

    public init(_ name: String, _ kind: Kind, required: Bool = true, choices: [String]? = nil, _ summary: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.choices = choices
        self.summary = summary
    }
}

/// One event type a service publishes: its topic, what it means, its subject and its `data` fields.
///
/// The catalog of specs is the single source of a service's event contract: the JSON Schemas in
/// `docs/schemas/`, the AsyncAPI document and the check every `emit` makes are all derived from it.
public struct EventSpec: Sendable {
    public let type: String
    public let summary: String
    /// The subject's pattern, e.g. `case/{case_id}`.
    public let subject: String
    public let fields: [FieldSpec]

    public init(_ type: String, _ summary: String, subject: String, fields: [FieldSpec]) {
        self.type = type
        self.summary = summary
        self.subject = subject
        self.fields = fields
    }

    /// Why `data` does not match this spec, or `nil` when it does. Unknown fields are mismatches too,
    /// so that nothing the contract does not list (personal data above all) can slip into an event.
    public func mismatch(_ data: JSONValue) -> String? {
        guard let object = data.objectValue else { return "data must be an object" }
        if let extra = object.firstUnknownKey({ name in fields.contains { $0.name == name } }) {
            return "field '\(extra)' is not in the contract"
        }
        for field in fields {
            guard let value = object[field.name], value != .null else {
                if field.required { return "field '\(field.name)' is required" }
                continue
            }
            let fits: Bool
            switch field.kind {
            case .string: fits = value.stringValue != nil
            case .integer: fits = value.intValue != nil
            case .number: fits = value.doubleValue != nil
            case .boolean: fits = value.boolValue != nil
            case .time: fits = value.stringValue.flatMap(Timestamp.parse) != nil
            case .date: fits = value.stringValue.flatMap(CalendarDate.init) != nil
            case .strings: fits = value.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false
            }
            guard fits else { return "field '\(field.name)' must be \(field.kind.rawValue), not \(value.typeName)" }
            if let choices = field.choices, let text = value.stringValue, !choices.contains(text) {
                return "field '\(field.name)' must be one of \(choices.joined(separator: ", ")), not '\(text)'"
            }
        }
        return nil
    }

    /// The JSON Schema (draft 2020-12) of this event's `data`.
    public var jsonSchema: JSONValue {
        var properties: [String: JSONValue] = [:]
        for field in fields {
            var property: [String: JSONValue] = ["description": .string(field.summary)]
            switch field.kind {
            case .string, .integer, .number, .boolean: property["type"] = .string(field.kind.rawValue)
            case .time: property["type"] = "string"; property["format"] = "date-time"
            case .date: property["type"] = "string"; property["format"] = "date"
            case .strings: property["type"] = "array"; property["items"] = ["type": "string"]
            }
            if let choices = field.choices { property["enum"] = .array(choices.map { .string($0) }) }
            properties[field.name] = .object(property)
        }
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": .string("https://banshi.example/schemas/\(type).json"),
            "title": .string(type),
            "description": .string(summary),
            "type": "object",
            "properties": .object(properties),
            "required": .array(fields.filter(\.required).map { .string($0.name) }),
            "additionalProperties": false,
        ]
    }
}

/// Every event type one service publishes.
public struct EventCatalog: Sendable {
    public let service: String
    public let events: [EventSpec]
    /// The data member that names the entity each event belongs to (`child_id`), when the service
    /// keeps timelines: the appender keys each event that carries it, as text, in `EventTimeline`.
    public let timeline: String?
    private let byType: [String: EventSpec]

    public init(service: String, timeline: String? = nil, events: [EventSpec]) {
        self.service = service
        self.timeline = timeline
        self.events = events
        self.byType = Dictionary(events.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func spec(_ type: String) -> EventSpec? { byType[type] }

    /// Throws `internal` when an event would break the contract: a bug in the service, never the caller's.
    func check(_ type: String, data: JSONValue) throws(CommandError) {
        guard let spec = byType[type] else {
            throw CommandError(.internal, "event type \(type) is not in the \(service) catalog")
        }
        if let mismatch = spec.mismatch(data) {
            throw CommandError(.internal, "event \(type) breaks its contract: \(mismatch)")
        }
    }
}
