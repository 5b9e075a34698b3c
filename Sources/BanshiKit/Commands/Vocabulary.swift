/// A closed set of domain values: offence types, venue types, aid categories.
///
/// One enum is the `choices` of a command argument (checked by the dispatcher, listed by `help`) and the
/// `enum` of an event field's schema. The schema's CHECK lists hold the values as written when their
/// migration shipped (a migration never changes); a test compares each list with its vocabulary, so
/// that a new value cannot ship without the migration that allows it.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable {}

extension Vocabulary {
    /// Every value, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }
}

/// The vocabularies that cross services, part of the wire contract: one definition for the service
/// that decides and the services that record the decision.

/// A judicial-aid decision: petition decides it (`petition.aid.decided`), children records it on the
/// child's case (`aid.record`, through the coordinator's rule 1).
public enum AidDecision: String, Vocabulary {
    case approved, rejected
}
