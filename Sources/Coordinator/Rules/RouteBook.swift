import BanshiKit

/// The rules of `config/routes.toml`, validated as a whole: one bad rule refuses the file.
public struct RouteBook: Sendable {
    public let file: String
    public let rules: [RouteRule]

    public init(file: String, rules: [RouteRule]) {
        self.file = file
        self.rules = rules
    }

    /// Reads and validates `file`. `services` are those a rule may target.
    public static func load(file: String, services: Set<String>) throws(RuleFileError) -> RouteBook {
        let root: ConfigTable
        do throws(ConfigError) {
            root = try ConfigTable.load(file: file)
        } catch {
            throw RuleFileError(file: file, rule: nil, field: error.key, message: error.message)
        }
        if let extra = root.values.keys.sorted().first(where: { $0 != "route" }) {
            throw RuleFileError(file: file, rule: nil, field: extra, message: "unknown key (the file holds [[route]] tables)")
        }
        guard case .array(let items)? = root.values["route"] ?? .array([]) else {
            throw RuleFileError(file: file, rule: nil, field: "route", message: "must be an array of tables ([[route]])")
        }
        var rules: [RouteRule] = []
        var ids: Set<String> = []
        for (index, item) in items.enumerated() {
            guard case .table(let table) = item else {
                throw RuleFileError(file: file, rule: nil, field: "route[\(index)]", message: "must be a table")
            }
            let name: String? = if case .string(let id)? = table["id"] { id } else { nil }
            do throws(RuleProblem) {
                let rule = try RouteRule(table, services: services)
                guard ids.insert(rule.id).inserted else { throw RuleProblem("is used by an earlier rule", field: "id") }
                rules.append(rule)
            } catch {
                throw RuleFileError(file: file, rule: name ?? "route[\(index)]", field: error.field, message: error.message)
            }
        }
        return RouteBook(file: file, rules: rules)
    }

    public func rule(_ id: String) -> RouteRule? { rules.first { $0.id == id } }
}
