import BanshiKit

/// Writes a `JSONValue` as block-style YAML, for documents people read (the AsyncAPI file).
///
/// Strings are written as JSON strings, which YAML reads unchanged, so no escaping rule of YAML's
/// own is needed. Keys listed in `leading` come first, in that order; the rest follow sorted, so the
/// output is stable from run to run.
public struct YAMLWriter {
    public let leading: [String]

    public init(leading: [String] = []) { self.leading = leading }

    public func render(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output, inline: false)
        return output
    }

    private func orderedKeys(_ object: [String: JSONValue]) -> [String] {
        let first = leading.filter { object[$0] != nil }
        return first + object.keys.filter { !first.contains($0) }.sorted()
    }

    private func key(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "_-./ ".contains($0) } && !text.hasPrefix("-") && !text.isEmpty
        return plain ? text : JSONValue.string(text).serialized()
    }

    private func write(_ value: JSONValue, indent: Int, into output: inout String, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            var first = true
            for name in orderedKeys(object) {
                let child = object[name]!
                output += (inline && first ? "" : pad) + key(name) + ":"
                first = false
                writeNested(child, indent: indent + 1, into: &output)
            }
        case .array(let array) where !array.isEmpty:
            for element in array {
                output += pad + "- "
                if case .object(let object) = element, !object.isEmpty {
                    write(element, indent: indent + 1, into: &output, inline: true)
                } else {
                    output += scalar(element) + "\n"
                }
            }
        default:
            output += scalar(value) + "\n"
        }
    }

    private func writeNested(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            output += "\n"
            write(value, indent: indent, into: &output, inline: false)
        case .array(let array) where !array.isEmpty:
            output += "\n"
            write(value, indent: indent, into: &output, inline: false)
        default:
            output += " " + scalar(value) + "\n"
        }
    }

    private func scalar(_ value: JSONValue) -> String {
        switch value {
        case .object: "{}"
        case .array: "[]"
        default: value.serialized()
        }
    }
}
