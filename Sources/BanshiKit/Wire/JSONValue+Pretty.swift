extension JSONValue {
    /// JSON text for people: two spaces an indent level, keys sorted, `"key": value`, and an empty
    /// array or object as `[]` or `{}`. Numbers and strings are written as `serialized()` writes them,
    /// and a fragment (stored JSON text) is laid out like the rest when it parses.
    public func prettyPrinted() -> String {
        var out: [UInt8] = []
        writePretty(to: &out, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func writePretty(to out: inout [UInt8], depth: Int) {
        func newline(_ depth: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
        switch self {
        case .array(let values) where !values.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                value.writePretty(to: &out, depth: depth + 1)
            }
            newline(depth)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                Self.writeString(key, to: &out)
                out.append(contentsOf: ": ".utf8)
                members[key, default: .null].writePretty(to: &out, depth: depth + 1)
            }
            newline(depth)
            out.append(UInt8(ascii: "}"))
        case .fragment(let text):
            if let parsed = try? Self.parse(Array(text.utf8)) {
                parsed.writePretty(to: &out, depth: depth)
            } else {
                write(to: &out)
            }
        default:
            write(to: &out)
        }
    }
}
