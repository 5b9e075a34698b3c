import BanshiKit
import Foundation

/// Reads back what a `banshi-loadsink` applied and what a source logged, to check "exactly once".
public struct DeliveryProbe: Sendable {
    public let suite: TestSuite

    public init(_ suite: TestSuite) { self.suite = suite }

    /// One applied (or logged) event: its source, seq, id and the command that caused it.
    public struct Entry: Sendable, Hashable {
        public let source: String
        public let seq: Int64
        public let id: String
        public let causationid: String?
    }

    /// `applied.summary` of the sink.
    public func summary() async throws -> JSONValue {
        try await suite.call("loadsink", "applied.summary").get()
    }

    /// Waits until the sink has applied `count` events, failing with its status if it does not.
    public func waitForApplied(_ count: Int64, within limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + limit
        var last: JSONValue = .null
        while ContinuousClock.now < deadline {
            if let summary = try? await summary() {
                last = summary
                if let applied = summary["count"]?.intValue, applied >= count { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let status = (try? await suite.call("loadsink", "status").get())?.serialized() ?? "no status"
        throw TestSuiteError("the sink applied \(last.serialized()) of \(count) within \(limit); status \(status)")
    }

    /// Every event the sink applied, in the order it applied them.
    public func applied() async throws -> [Entry] {
        var entries: [Entry] = []
        var after: Int64 = 0
        while true {
            let page = try await suite.call("loadsink", "applied.list", ["after": .int(after), "limit": 10_000]).get()
            let rows = page["applied"]?.arrayValue ?? []
            if rows.isEmpty { return entries }
            for row in rows {
                entries.append(Entry(
                    source: row["source"]?.stringValue ?? "", seq: row["seq"]?.intValue ?? 0, id: row["id"]?.stringValue ?? "",
                    causationid: row["causationid"]?.stringValue))
                after = row["n"]?.intValue ?? after
            }
        }
    }

    /// Every event in `service`'s log.
    public func logged(_ service: String) async throws -> [Entry] {
        var entries: [Entry] = []
        var after: Int64 = 0
        while true {
            let page = try await suite.call(service, "events.since", ["after_seq": .int(after), "limit": 10_000]).get()
            let events = page["events"]?.arrayValue ?? []
            for event in events {
                entries.append(Entry(
                    source: service, seq: event["seq"]?.intValue ?? 0, id: event["id"]?.stringValue ?? "",
                    causationid: event["causationid"]?.stringValue))
                after = event["seq"]?.intValue ?? after
            }
            if page["has_more"] != true { return entries }
        }
    }
}
