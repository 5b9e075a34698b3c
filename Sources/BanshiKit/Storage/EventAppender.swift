import Foundation
import GRDB

/// Appends events to the service's event log inside the command's write transaction.
///
/// Because it only exists inside a transaction, an event can never be logged without its state
/// change or the other way round. The events it collected are published after the commit.
public struct EventAppender {
    /// The open write transaction.
    public let db: Database
    let service: String
    let now: Date
    let causationid: String?
    let correlationid: String?
    private var nextSeq: Int64
    /// The events appended so far, in `seq` order.
    public private(set) var appended: [EventEnvelope] = []

    init(db: Database, service: String, now: Date, causationid: String?, correlationid: String?) throws {
        self.db = db
        self.service = service
        self.now = now
        self.causationid = causationid
        self.correlationid = correlationid
        self.nextSeq = try EventLog.lastSeq(db) + 1
    }

    /// Appends one event. `correlationid` defaults to the request's flow, or the event's own id.
    @discardableResult
    public mutating func emit(
        _ type: String, subject: String? = nil, data: JSONValue = [:], correlationid: String? = nil
    ) throws -> EventEnvelope {
        let topic = try Topic(type)
        precondition(topic.service == service, "service \(service) may only emit its own topics, not \(type)")
        let envelope = EventEnvelope(
            service: service, type: topic, time: now, subject: subject, data: data, seq: nextSeq,
            correlationid: correlationid ?? self.correlationid, causationid: causationid)
        try EventLog.insert(envelope, db: db)
        nextSeq += 1
        appended.append(envelope)
        return envelope
    }
}
