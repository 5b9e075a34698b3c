import BanshiKit

/// A surface-water class (GB 3838-2002): I to V, or worse than V (劣V类).
public enum WaterClass: Int, Sendable, Comparable, CaseIterable {
    case i = 1, ii, iii, iv, v, worseThanV

    public var name: String { ["I", "II", "III", "IV", "V", "worse-than-V"][rawValue - 1] }
    public static let targetNames = ["I", "II", "III", "IV", "V"]
    public init?(name: String) {
        guard let index = Self.allCases.firstIndex(where: { $0.name == name }) else { return nil }
        self = Self.allCases[index]
    }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a lead's severity follows from the exceedance: a banned substance detected is always high.
public enum Severity: String, Vocabulary {
    case low, medium, high

    /// Up to 1.5 times the limit is low, up to 3 times medium, beyond that high.
    public init(exceedance: Double?, banned: Bool = false) {
        if banned { self = .high; return }
        switch exceedance ?? 0 {
        case ...1.5: self = .low
        case ...3: self = .medium
        default: self = .high
        }
    }
}

/// A water sample judged against the standard in force.
public struct WaterJudgement: Sendable, Equatable {
    /// The class each indicator reached.
    public let classes: [String: WaterClass]
    /// The worst of them: the sample's class.
    public let overall: WaterClass
    public let meetsTarget: Bool
    /// The largest value over the target class's limit, as a multiple of that limit; `nil` when it meets it.
    public let exceedance: Double?
    public let version: String

    /// Judges `values` (mg/L by indicator code) of a `body` whose water function zone's target is `target`.
    public init(values: [String: Double], body: WaterBody, target: WaterClass, standard: Standards.Water) {
        var classes: [String: WaterClass] = [:]
        var exceedance: Double?
        for code in Standards.waterIndicators {
            guard let value = values[code], let limits = standard.limits[code] else { continue }
            let table = body == .river ? limits.river : limits.lake
            // A value equal to a class's limit is in that class.
            let reached = table.firstIndex { value <= $0 }.map { WaterClass(rawValue: $0 + 1)! } ?? .worseThanV
            classes[code] = reached
            let limit = table[target.rawValue - 1]
            if value > limit { exceedance = max(exceedance ?? 0, value / limit) }
        }
        self.classes = classes
        overall = classes.values.max() ?? .i
        meetsTarget = overall <= target
        self.exceedance = exceedance
        version = standard.version
    }
}

/// A food sample judged against the contaminant limits or the banned lists in force.
public struct FoodJudgement: Sendable, Equatable {
    public let fails: Bool
    /// The limit it was held to (mg/kg); `nil` for a banned substance, which no amount may contain.
    public let limit: Double?
    public let banned: Bool
    public let exceedance: Double?
    public let version: String

    public init(substance: String, category: String, value: Double, day: CalendarDate, standards: Standards) throws(CommandError) {
        let banned = try Standards.inForce(standards.banned, on: day, effective: \.effective, family: "banned-substance")
        if banned.substances.contains(substance) {
            self.banned = true
            fails = value > 0
            limit = nil
            exceedance = nil
            version = banned.version
            return
        }
        let food = try Standards.inForce(standards.food, on: day, effective: \.effective, family: "GB 2762")
        guard let limit = food.limits[Standards.Food.key(substance, category)] else {
            throw CommandError(
                .invalidArgument, "\(food.version) sets no limit for \(substance) in \(category), and it is not a banned substance",
                field: "substance")
        }
        self.banned = false
        self.limit = limit
        fails = value > limit
        exceedance = value > limit ? value / limit : nil
        version = food.version
    }
}

/// What kind of water body a water site is.
public enum WaterBody: String, Vocabulary {
    case river, lake, reservoir
}

/// What kind of place a food site is.
public enum FoodPlace: String, Vocabulary {
    case market, supermarket, shop, canteen
}
