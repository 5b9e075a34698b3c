import BanshiKit
import Foundation

/// The published event contract, derived from the services' catalogs: one JSON Schema file per
/// event type and the AsyncAPI document that lists every topic. Tests regenerate both and fail
/// when the committed files differ, so the documents cannot drift from the code.
public enum ContractDocuments {
    /// The heartbeat every service publishes (not part of the event log, so it has no `seq`).
    public static func heartbeat(of service: String) -> EventSpec {
        EventSpec(
            Heartbeat.topic(of: service), "The service is alive; its event log reaches last_seq.", subject: "(none)",
            fields: [
                FieldSpec("last_seq", .integer, "the service's last event seq"),
                FieldSpec("interval_ms", .integer, "the heartbeat interval"),
                FieldSpec("started_at", .time, "when the process started"),
                FieldSpec("pid", .integer, "the process id"),
            ])
    }

    /// What a service restored from a backup logs for each seq it had published after the backup
    /// (`RestoredLog`): in its log, never published live.
    public static func lost(of service: String) -> EventSpec {
        EventSpec(
            RestoredLog.lostType(of: service),
            "The service was restored from a backup: the event it had published under this seq is lost from its log (followers that applied it keep it).",
            subject: "(none)",
            fields: [
                FieldSpec("first_lost", .integer, "the first seq the restore lost"),
                FieldSpec("last_lost", .integer, "the last seq the restore lost; the service's next event follows it"),
            ])
    }

    /// `schemas/<service>/<type>.json` → the schema's text.
    public static func schemaFiles(_ catalogs: [EventCatalog]) -> [(path: String, text: String)] {
        catalogs.flatMap { catalog in
            catalog.events.map { spec in ("schemas/\(catalog.service)/\(spec.type).json", pretty(spec.jsonSchema)) }
        }
    }

    /// The AsyncAPI 3.0 document for every catalog, heartbeats included.
    public static func asyncAPI(_ catalogs: [EventCatalog]) -> String {
        var channels: [String: JSONValue] = [:]
        var operations: [String: JSONValue] = [:]
        var messages: [String: JSONValue] = [:]
        for catalog in catalogs {
            let kitEvents = [heartbeat(of: catalog.service), lost(of: catalog.service)]
            for spec in catalog.events + kitEvents {
                let id = spec.type.replacingOccurrences(of: ".", with: "_")
                let data: JSONValue =
                    kitEvents.contains(where: { $0.type == spec.type })
                    ? spec.jsonSchema.removingSchemaIdentity : ["$ref": .string("./schemas/\(catalog.service)/\(spec.type).json")]
                messages[id] = [
                    "name": .string(spec.type),
                    "title": .string(spec.type),
                    "summary": .string(spec.summary),
                    "contentType": "application/json",
                    "payload": [
                        "allOf": [
                            ["$ref": "#/components/schemas/envelope"],
                            [
                                "type": "object",
                                "properties": [
                                    "type": ["const": .string(spec.type)],
                                    "source": ["const": .string(EventEnvelope.source(of: catalog.service))],
                                    "subject": ["description": .string("pattern: \(spec.subject)")],
                                    "data": data,
                                ],
                            ],
                        ]
                    ],
                ]
                channels[id] = [
                    "address": .string(spec.type),
                    "description": .string(spec.summary),
                    "messages": [id: ["$ref": .string("#/components/messages/\(id)")]],
                ]
                operations["receive_\(id)"] = [
                    "action": "receive",
                    "channel": ["$ref": .string("#/channels/\(id)")],
                ]
            }
        }
        let document: JSONValue = [
            "asyncapi": "3.0.0",
            "info": [
                "title": "Banshi events",
                "version": "1.0.0",
                "description": .string(
                    """
                    Every topic Banshi publishes. A message is two ZeroMQ frames, [topic, envelope], on the bus's XPUB \
                    side; subscribe by topic prefix ("children." for one service's family). The envelope is CloudEvents 1.0 \
                    structured JSON with seq (gapless per source), correlationid and causationid; data never holds a \
                    minor's personal data. Generated from the services' event catalogs: see docs/wire-contract.md.
                    """),
            ],
            "defaultContentType": "application/json",
            "servers": [
                "bus": [
                    "host": "127.0.0.1:7101", "protocol": "zmq",
                    "description": "the bus's XPUB endpoint ([bus] subscribe in the config)",
                ]
            ],
            "channels": .object(channels),
            "operations": .object(operations),
            "components": [
                "messages": .object(messages),
                "schemas": ["envelope": envelopeSchema],
            ],
        ]
        let writer = YAMLWriter(leading: [
            "asyncapi", "info", "title", "version", "address", "name", "summary", "description", "defaultContentType", "servers",
            "channels", "operations", "components", "action", "channel", "contentType", "type", "properties", "required",
        ])
        return "# Generated from the services' event catalogs by scripts/contract.sh; do not edit.\n" + writer.render(document)
    }

    /// The CloudEvents envelope all events share.
    static let envelopeSchema: JSONValue = [
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
        "properties": [
            "specversion": ["const": "1.0"],
            "id": ["type": "string", "description": "unique per source (UUIDv7)"],
            "source": ["type": "string", "description": "/banshi/<service>"],
            "type": ["type": "string", "description": "the topic"],
            "time": ["type": "string", "format": "date-time"],
            "subject": ["type": "string", "description": "the entity, e.g. case/<id>"],
            "datacontenttype": ["const": "application/json"],
            "data": ["type": "object"],
            "seq": ["type": "integer", "minimum": 1, "description": "position in the source's event log: no gaps, no repeats"],
            "correlationid": ["type": "string", "description": "the flow this event belongs to"],
            "causationid": ["type": "string", "description": "the command or event that caused it"],
        ],
    ]

    static func pretty(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n"
    }
}

extension JSONValue {
    /// A schema embedded in another document drops its own `$schema` and `$id`.
    fileprivate var removingSchemaIdentity: JSONValue {
        guard case .object(var object) = self else { return self }
        object["$schema"] = nil
        object["$id"] = nil
        return .object(object)
    }
}
