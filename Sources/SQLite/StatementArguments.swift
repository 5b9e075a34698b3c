/// The values bound to a statement's `?` parameters, in order.
public struct StatementArguments: Sendable, ExpressibleByArrayLiteral {
    public private(set) var values: [DatabaseValue]

    public init() { values = [] }

    public init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
        values = elements.map { $0?.databaseValue ?? .null }
    }

    public init<S: Sequence>(_ sequence: S) where S.Element == (any DatabaseValueConvertible)? {
        values = sequence.map { $0?.databaseValue ?? .null }
    }

    public init<S: Sequence>(_ sequence: S) where S.Element: DatabaseValueConvertible {
        values = sequence.map(\.databaseValue)
    }

    public static func + (lhs: StatementArguments, rhs: StatementArguments) -> StatementArguments {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func += (lhs: inout StatementArguments, rhs: StatementArguments) {
        lhs.values += rhs.values
    }

    public var isEmpty: Bool { values.isEmpty }
}
