extension Dictionary where Key == String {
    /// The first key, in sorted order, that `isKnown` refuses; `nil` when it knows them all.
    ///
    /// For the check every request's arguments and every emitted event's fields go through: one pass
    /// over the keys, without sorting them or building a set, and the same key named whatever order
    /// the dictionary holds them in.
    func firstUnknownKey(_ isKnown: (String) -> Bool) -> String? {
        var unknown: String?
        for key in keys where !isKnown(key) {
            if unknown.map({ key < $0 }) ?? true { unknown = key }
        }
        return unknown
    }
}
