import BanshiKit

/// What is wrong with one part of a rule: the message, and the field it concerns (relative to the rule).
public struct RuleProblem: Error, Sendable {
    public var field: String?
    public let message: String

    public init(_ message: String, field: String? = nil) {
        self.field = field
        self.message = message
    }

    /// The same problem, one level further out: `args.case_id`, `when.all[1].field`.
    func within(_ outer: String) -> RuleProblem {
        RuleProblem(message, field: field.map { $0.hasPrefix("[") ? outer + $0 : "\(outer).\($0)" } ?? outer)
    }
}

/// Why a rule file was refused: the file, the rule and the field, and what is wrong.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let rule: String?
    public let field: String?
    public let message: String

    public var description: String {
        var text = file
        if let rule { text += ": route '\(rule)'" }
        if let field { text += ": \(field)" }
        return text + ": " + message
    }

    /// As a command error: `invalid_argument` with the rule and field in `details`.
    public var commandError: CommandError {
        var details: [String: JSONValue] = ["file": .string(file)]
        if let rule { details["rule"] = .string(rule) }
        if let field { details["field"] = .string(field) }
        return CommandError(.invalidArgument, description, details: details)
    }
}

/// One routing rule: when an event of `topic` satisfies `condition`, send `command` to `target` with
/// arguments built from the event.
public struct RouteRule: Sendable, Equatable {
    public let id: String
    public let enabled: Bool
    public let topic: TopicPattern
    public let condition: Condition?
    public let target: String
    public let command: String
    public let arguments: [String: ArgumentTemplate]

    public func matches(_ event: EventEnvelope) -> Bool {
        topic.matches(event.type) && (condition?.holds(for: event) ?? true)
    }

    /// The command's arguments for `event`; throws the first field it lacks.
    public func arguments(for event: EventEnvelope) throws(ArgumentTemplate.Missing) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (name, template) in arguments {
            if let value = try template.render(event) { result[name] = value }
        }
        return result
    }

    /// Reads one `[[route]]` table. `services` are the configured services a rule may target.
    init(_ table: [String: ConfigTable.Value], services: Set<String>) throws(RuleProblem) {
        let known: Set = ["id", "enabled", "topic", "when", "target", "command", "args"]
        if let extra = table.keys.sorted().first(where: { !known.contains($0) }) {
            throw RuleProblem("unknown key (allowed: \(known.sorted().joined(separator: ", ")))", field: extra)
        }
        func string(_ key: String) throws(RuleProblem) -> String {
            guard case .string(let text)? = table[key], !text.isEmpty else { throw RuleProblem("is required (a string)", field: key) }
            return text
        }
        id = try string("id")
        guard Topic.isValidPart(id) else {
            throw RuleProblem("'\(id)' must be lower-case letters, digits and '-', starting with a letter", field: "id")
        }
        switch table["enabled"] {
        case nil: enabled = true
        case .bool(let flag)?: enabled = flag
        case let other?: throw RuleProblem("must be true or false, not a \(other.typeName)", field: "enabled")
        }
        let pattern = try string("topic")
        guard let topic = TopicPattern(pattern) else {
            throw RuleProblem("'\(pattern)' is not a topic, a prefix ending in '.', or a glob with * and ?", field: "topic")
        }
        self.topic = topic
        target = try string("target")
        // A service of the suite that this suite does not configure (not deployed here yet) is allowed:
        // the book sets such a rule aside. Anything else is a typo.
        guard services.contains(target) || SuiteServices.member(target) != nil else {
            throw RuleProblem(
                "'\(target)' is not a configured service (configured: \(services.sorted().joined(separator: ", ")))", field: "target")
        }
        command = try string("command")
        condition = try table["when"].map { value throws(RuleProblem) in
            do throws(RuleProblem) { return try Self.condition(value) } catch { throw error.within("when") }
        }
        var arguments: [String: ArgumentTemplate] = [:]
        switch table["args"] {
        case nil: break
        case .table(let members)?:
            for (name, value) in members {
                do throws(RuleProblem) { arguments[name] = try ArgumentTemplate(value.json) } catch {
                    throw RuleProblem(error.message, field: "args.\(name)")
                }
            }
        case let other?: throw RuleProblem("must be a table, not a \(other.typeName)", field: "args")
        }
        self.arguments = arguments
    }

    /// `{field, equals|in|present}` or `{all = [...]}`, `{any = [...]}`, `{not = {...}}`.
    static func condition(_ value: ConfigTable.Value) throws(RuleProblem) -> Condition {
        guard case .table(let table) = value else { throw RuleProblem("a condition is an inline table") }
        func list(_ key: String) throws(RuleProblem) -> [Condition] {
            guard case .array(let items)? = table[key], !items.isEmpty else { throw RuleProblem("must be a non-empty array of conditions", field: key) }
            var conditions: [Condition] = []
            for (index, item) in items.enumerated() {
                do throws(RuleProblem) { conditions.append(try condition(item)) } catch { throw error.within("\(key)[\(index)]") }
            }
            return conditions
        }
        let keys = Set(table.keys)
        if keys == ["all"] { return .all(try list("all")) }
        if keys == ["any"] { return .any(try list("any")) }
        if keys == ["not"] {
            do throws(RuleProblem) { return .not(try condition(table["not"]!)) } catch { throw error.within("not") }
        }
        guard case .string(let name)? = table["field"] else {
            throw RuleProblem("a condition is {field, equals|in|present} or {all|any|not}; got keys \(keys.sorted())")
        }
        guard let path = EventPath(name) else {
            throw RuleProblem("'\(name)' names no event field (data.<field>, or id, type, source, subject, time, seq, correlationid)", field: "field")
        }
        let tests = keys.subtracting(["field"])
        guard tests.count == 1, let test = tests.first else {
            throw RuleProblem("give exactly one of equals, in, present next to field")
        }
        switch (test, table[test]!) {
        case ("equals", let value): return .equals(path, value.json)
        case ("in", .array(let values)) where !values.isEmpty: return .oneOf(path, values.map(\.json))
        case ("in", _): throw RuleProblem("must be a non-empty array", field: "in")
        case ("present", .bool(let flag)): return .present(path, flag)
        case ("present", _): throw RuleProblem("must be true or false", field: "present")
        default: throw RuleProblem("unknown test (use equals, in or present)", field: test)
        }
    }
}

extension ConfigTable.Value {
    /// The TOML value as JSON (dates stay text).
    var json: JSONValue {
        switch self {
        case .string(let text): .string(text)
        case .int(let number): .int(Int64(number))
        case .double(let number): .double(number)
        case .bool(let flag): .bool(flag)
        case .array(let items): .array(items.map(\.json))
        case .table(let members): .object(members.mapValues(\.json))
        }
    }
}
