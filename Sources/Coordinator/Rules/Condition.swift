import BanshiKit

/// A test on an event's fields: equality, membership, presence, and `all`/`any`/`not` of others.
public indirect enum Condition: Sendable, Equatable {
    case equals(EventPath, JSONValue)
    case oneOf(EventPath, [JSONValue])
    case present(EventPath, Bool)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    public func holds(for event: EventEnvelope) -> Bool {
        switch self {
        case .equals(let path, let value): path.value(in: event).map { Self.same($0, value) } ?? false
        case .oneOf(let path, let values): path.value(in: event).map { found in values.contains { Self.same(found, $0) } } ?? false
        case .present(let path, let wanted): (path.value(in: event) != nil) == wanted
        case .all(let conditions): conditions.allSatisfy { $0.holds(for: event) }
        case .any(let conditions): conditions.contains { $0.holds(for: event) }
        case .not(let condition): !condition.holds(for: event)
        }
    }

    /// JSON equality where 3 and 3.0 are the same number.
    static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = lhs.doubleValue, let right = rhs.doubleValue { return left == right }
        return lhs == rhs
    }
}
