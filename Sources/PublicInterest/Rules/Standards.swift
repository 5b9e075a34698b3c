import BanshiKit

/// The national standards samples are judged by, as versioned data files (`standards_dir`): GB 3838
/// for surface water, GB 2762 for contaminants in food, and the lists of banned veterinary drugs and
/// pesticides. Each file names its source and the day it took effect; a sample is judged by the version
/// of each family in force on its sampling day. A bad file stops the service, naming the file and the
/// key (and the line, for a syntax error).
public struct Standards: Sendable {
    /// One version of a water-quality standard: class I–V upper limits per indicator.
    public struct Water: Sendable {
        public let version: String
        public let effective: CalendarDate
        /// Per indicator code: the limits of classes I–V (river, and lake or reservoir where they differ).
        public let limits: [String: (river: [Double], lake: [Double])]
    }

    /// One version of a food-contaminant standard: a limit per substance and category.
    public struct Food: Sendable {
        public let version: String
        public let effective: CalendarDate
        public let limits: [String: Double]

        static func key(_ substance: String, _ category: String) -> String { "\(substance)|\(category)" }
    }

    /// One version of the banned lists: any detection fails.
    public struct Banned: Sendable {
        public let version: String
        public let effective: CalendarDate
        public let substances: Set<String>
    }

    public let water: [Water]
    public let food: [Food]
    public let banned: [Banned]

    /// The water indicators every sample measures.
    public static let waterIndicators = ["nh3n", "tp", "cod"]

    public init(water: [Water], food: [Food], banned: [Banned]) {
        self.water = water.sorted { $0.effective < $1.effective }
        self.food = food.sorted { $0.effective < $1.effective }
        self.banned = banned.sorted { $0.effective < $1.effective }
    }

    /// Reads every `*.toml` in `directory`.
    public static func load(directory: String) throws(ConfigError) -> Standards {
        let names: [String]
        do throws(SystemError) {
            names = try FileSystem.contentsOfDirectory(directory).filter { $0.hasSuffix(".toml") }.sorted()
        } catch {
            throw ConfigError(key: nil, "cannot read the standards directory: \(error.reason)", file: directory)
        }
        var water: [Water] = [], food: [Food] = [], banned: [Banned] = []
        for name in names {
            let root = try ConfigTable.load(file: Path.join(directory, name))
            let header = try root.table("standard")
            try header.rejectUnknownKeys(["family", "version", "title", "source", "effective", "kind"])
            _ = try header.string("family")
            _ = try header.string("title")
            _ = try header.string("source")
            let version = try header.string("version")
            guard let effective = CalendarDate(try header.string("effective")) else { throw header.error("effective", "is a day, YYYY-MM-DD") }
            switch try header.choice("kind", ["water", "food", "banned"], default: "water") {
            case "water":
                try root.rejectUnknownKeys(["standard", "indicator"])
                var limits: [String: (river: [Double], lake: [Double])] = [:]
                for table in try root.tables("indicator") {
                    try table.rejectUnknownKeys(["code", "name", "limits", "lake_limits"])
                    let code = try table.string("code")
                    guard waterIndicators.contains(code) else { throw table.error("code", "is one of \(waterIndicators.joined(separator: ", ")), not '\(code)'") }
                    let river = try classLimits(table, "limits")
                    limits[code] = (river, try table.values["lake_limits"] == nil ? river : classLimits(table, "lake_limits"))
                }
                guard Set(limits.keys) == Set(waterIndicators) else { throw root.error("indicator", "must give limits for \(waterIndicators.joined(separator: ", "))") }
                water.append(Water(version: version, effective: effective, limits: limits))
            case "food":
                try root.rejectUnknownKeys(["standard", "limit"])
                var limits: [String: Double] = [:]
                for table in try root.tables("limit") {
                    try table.rejectUnknownKeys(["substance", "category", "limit"])
                    let limit = try table.number("limit")
                    guard limit > 0 else { throw table.error("limit", "is a positive number of mg/kg") }
                    limits[Food.key(try table.string("substance"), try table.string("category"))] = limit
                }
                food.append(Food(version: version, effective: effective, limits: limits))
            default:
                try root.rejectUnknownKeys(["standard", "substances"])
                let substances = try root.stringList("substances") ?? []
                guard !substances.isEmpty else { throw root.error("substances", "lists the banned substances") }
                banned.append(Banned(version: version, effective: effective, substances: Set(substances)))
            }
        }
        guard !water.isEmpty, !food.isEmpty, !banned.isEmpty else {
            throw ConfigError(key: nil, "needs a water, a food and a banned-substances standard; it has \(water.count), \(food.count) and \(banned.count)", file: directory)
        }
        return Standards(water: water, food: food, banned: banned)
    }

    /// Five increasing limits, for classes I to V.
    static func classLimits(_ table: ConfigTable, _ key: String) throws(ConfigError) -> [Double] {
        guard let limits = try table.numberList(key) else { throw table.error(key, "is required: the limits of classes I to V") }
        guard limits.count == 5, zip(limits, limits.dropFirst()).allSatisfy({ $0 <= $1 }), limits.allSatisfy({ $0 > 0 }) else {
            throw table.error(key, "is five positive limits, classes I to V, none below the one before")
        }
        return limits
    }

    /// The version of a family in force on `day`: the latest that took effect on or before it.
    static func inForce<T>(_ versions: [T], on day: CalendarDate, effective: (T) -> CalendarDate, family: String) throws(CommandError) -> T {
        guard let version = versions.last(where: { effective($0) <= day }) else {
            throw CommandError(.invalidArgument, "no \(family) standard was in force on \(day)", field: "sampled_on")
        }
        return version
    }
}
