import BanshiKit

/// The rules of `config/routes.toml`, validated as a whole: one bad rule refuses the file.
public struct RouteBook: Sendable {
    public let file: String
    /// The rules in force.
    public let rules: [RouteRule]
    /// Rules whose target is a service of the suite that this configuration does not have: valid, but
    /// set aside (and logged) until the service is configured and the rules reloaded.
    public let dormant: [RouteRule]

    public init(file: String, rules: [RouteRule], dormant: [RouteRule] = []) {
        self.file = file
        self.rules = rules
        self.dormant = dormant
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
        return RouteBook(file: file, rules: rules.filter { services.contains($0.target) }, dormant: rules.filter { !services.contains($0.target) })
    }

    public func rule(_ id: String) -> RouteRule? { rules.first { $0.id == id } }
}
