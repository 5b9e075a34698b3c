import BanshiKit
import SQLite

/// Reading the history: a filtered query, and one flow traced across services.
enum HistoryCommands {
    static let all = [query, trace]

    static let query = CommandSpec(
        "history.query", "events from the history, filtered by source (and seq), event id, type prefix, subject or record, correlation and time range",
        arguments: [
            ArgumentSpec("source", .string, "only this service's events"),
            ArgumentSpec("seq", .integer, "only the event at this position in the source's log (with source: children and 42 are children:42)"),
            ArgumentSpec("id", .string, "only the event with this id (its envelope's id)"),
            ArgumentSpec("type", .string, "only types starting with this (children.abuse. or children.abuse.referred)"),
            ArgumentSpec("subject", .string, "only this subject (case/VC-…)"),
            ArgumentSpec("record", .string, "only events about this record, whatever its kind: the subject <kind>/<record> (VC-… finds case/VC-…)"),
            ArgumentSpec("correlation_id", .string, "only this flow"),
            ArgumentSpec("from", .time, "at or after this time"),
            ArgumentSpec("to", .time, "before this time"),
            PageLimit.entries.argument,
        ]
    ) { context in
        let arguments = context.arguments
        let limit = Int(try PageLimit.entries.value(arguments))
        let from = arguments.optionalTime("from").map(Timestamp.format)
        let to = arguments.optionalTime("to").map(Timestamp.format)
        let seq = arguments.values["seq"] == nil ? nil : try arguments.int("seq", default: 1, in: 1...Int64.max)
        if seq != nil, arguments.optionalString("source") == nil {
            throw CommandError(.invalidArgument, "seq is a position in one service's log: name the service with source", field: "source")
        }
        let events = try await context.read { db in
            try History.query(
                db, source: arguments.optionalString("source"), seq: seq, id: arguments.optionalString("id"), typePrefix: arguments.optionalString("type"),
                subject: arguments.optionalString("subject"), record: arguments.optionalString("record"),
                correlation: arguments.optionalString("correlation_id"), from: from, to: to, limit: limit)
        }
        return ["events": .array(events)]
    }

    static let trace = CommandSpec(
        "trace", "one flow across services, in order, with the time from its start and from the step before",
        arguments: [ArgumentSpec("correlation_id", .string, required: true, "the flow: the correlationid its events share")]
    ) { context in
        let flow = try context.arguments.string("correlation_id")
        let events = try await context.read { db in
            try History.query(db, source: nil, typePrefix: nil, subject: nil, correlation: flow, from: nil, to: nil, limit: 10_000)
        }
        guard !events.isEmpty else { throw CommandError(.notFound, "no event of flow '\(flow)' in the history", field: "correlation_id") }
        let times = events.map { $0["time"]?.stringValue.flatMap(Timestamp.parse) ?? Timestamp(timeIntervalSince1970: 0) }
        let steps: [JSONValue] = events.enumerated().map { index, event in
            guard case .object(var step) = event else { return event }
            step["since_start_ms"] = .int(Int64((times[index].timeIntervalSince(times[0]) * 1000).rounded()))
            step["since_previous_ms"] = .int(index == 0 ? 0 : Int64((times[index].timeIntervalSince(times[index - 1]) * 1000).rounded()))
            return .object(step)
        }
        let total = Int64((times[times.count - 1].timeIntervalSince(times[0]) * 1000).rounded())
        return [
            "correlation_id": .string(flow), "steps": .array(steps), "duration_ms": .int(total),
            "services": .array(Array(Set(events.compactMap { $0["source"]?.stringValue })).sorted().map { .string($0) }),
        ]
    }
}
