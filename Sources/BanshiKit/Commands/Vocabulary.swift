/// A closed set of domain values: offence types, venue types, aid categories.
///
/// One enum is the CHECK constraint in the schema, the `choices` of a command argument (checked by the
/// dispatcher, listed by `help`) and the `enum` of an event field's schema.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable {}

extension Vocabulary {
    /// Every value, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }
    /// `'a', 'b'` for a CHECK constraint.
    public static var sqlList: String { names.map { "'\($0)'" }.joined(separator: ", ") }
}
