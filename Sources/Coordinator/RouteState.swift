import BanshiKit
import SQLite
import Synchronization

/// The rules in force, shared by the subscriber (deciding), the commands and reloads.
final class RouteState: Sendable {
    private let book: Mutex<RouteBook>
    let services: Set<String>

    init(_ book: RouteBook, services: Set<String>) {
        self.book = Mutex(book)
        self.services = services
    }

    var current: RouteBook { book.withLock { $0 } }

    /// Reads the file again; on any error the rules in force stay.
    func reload() throws(RuleFileError) -> RouteBook {
        let fresh = try RouteBook.load(file: current.file, services: services)
        book.withLock { $0 = fresh }
        return fresh
    }
}

/// Deciding which rules an event triggers, inside the subscriber's transaction (with its cursor).
enum RouteDecision {
    /// The rules switched on or off from `banshictl`, overriding the file.
    static func switches(_ db: Database) throws -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, cached: "SELECT rule_id, enabled FROM rule_switch").map {
            ($0["rule_id"] as String, $0["enabled"] as Bool)
        })
    }

    static func isEnabled(_ rule: RouteRule, _ switches: [String: Bool]) -> Bool { switches[rule.id] ?? rule.enabled }

    /// Records a delivery for each enabled rule `event` matches; a rule fires once per event.
    static func decide(_ db: Database, _ event: EventEnvelope, book: RouteBook, settings: CoordinatorSettings, now: Timestamp) throws -> Int {
        let switches = try switches(db)
        var decided = 0
        for rule in book.rules where isEnabled(rule, switches) && rule.matches(event) {
            let id = "\(rule.id)/\(event.id)"
            if try Row.fetchOne(db, cached: "SELECT 1 FROM delivery WHERE id = ?", arguments: [id]) != nil { continue }
            let hops = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM delivery WHERE correlation_id = ?", arguments: [event.correlationid]) ?? 0
            var problem: String?
            var args: String?
            if hops >= settings.maxHops {
                problem = "hop limit: flow \(event.correlationid) already has \(hops) routed commands (max_hops = \(settings.maxHops))"
            } else {
                do {
                    args = JSONValue.object(try rule.arguments(for: event)).serialized()
                } catch {
                    problem = "the event has no \(error.path), which the rule's arguments need"
                }
            }
            try db.execute(
                cached: """
                    INSERT INTO delivery (id, rule_id, event_id, event_type, source, seq, correlation_id, event, target, command, args,
                                          status, problem, next_attempt_at, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                    """,
                arguments: [
                    id, rule.id, event.id, event.type, event.service ?? event.source, event.seq, event.correlationid,
                    event.serialized(), rule.target, rule.command, args, problem, Timestamp.format(now), Timestamp.format(now),
                ])
            decided += 1
        }
        return decided
    }
}
