extension JSONValue {
    /// Parses UTF-8 JSON text; throws for anything that is not JSON, says why and where.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONParser.parse(bytes)
    }

    /// Compact JSON text with object keys sorted, so that equal values always serialize the same.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// The same, as UTF-8 bytes: what goes on the wire.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    /// Appends this value's JSON text to `out`. Writing bytes, not `String`, is what keeps
    /// serialization off the profile of the append path.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): Self.writeInteger(value, to: &out)
        case .double(let value):
            if value.isFinite {
                if value.rounded() == value && abs(value) < 1e15 {
                    out.append(contentsOf: String(Int64(value)).utf8)
                } else {
                    out.append(contentsOf: "\(value)".utf8)
                }
            } else {
                out.append(contentsOf: "null".utf8)  // JSON has no NaN or infinity.
            }
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let values):
            // A page of stored envelopes (`events.since`, megabytes) is reserved at once: grown by
            // doubling, its buffer was copied and its fresh pages faulted in again at every step.
            // Only such an array, of fragments, is measured first; any other is written in one pass.
            if case .fragment = values.first {
                let fragments = values.reduce(0) { total, value in
                    if case .fragment(let text) = value { total + text.utf8.count + 1 } else { total }
                }
                out.reserveCapacity(out.count + fragments + 2)
            }
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // The members' positions are sorted in a temporary buffer (on the stack when small),
            // not copied out into an array of pairs.
            withUnsafeTemporaryAllocation(of: [String: JSONValue].Index.self, capacity: members.count) { buffer in
                var order = buffer
                _ = order.initialize(from: members.indices)
                defer { order.deinitialize() }
                order.sort { members.keys[$0] < members.keys[$1] }
                for (position, index) in order.enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    Self.writeString(members.keys[index], to: &out)
                    out.append(UInt8(ascii: ":"))
                    members.values[index].write(to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        case .fragment(let text): out.append(contentsOf: text.utf8)
        }
    }

    /// Appends `value`'s decimal digits, without making a `String` of them.
    static func writeInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for UInt64.max's 20 digits
        withUnsafeMutableBytes(of: &digits) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Appends `value` as a JSON string literal.
    static func writeString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        // Most strings need no escaping: scan the contiguous bytes once and copy them whole.
        let plain = value.withUTF8 { buffer -> Bool in
            guard JSONStringScan.plainRunEnd(buffer, from: 0, nonASCII: true) == buffer.count else { return false }
            out.append(contentsOf: buffer)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `value` as a JSON string literal to text.
    static func writeString(_ value: String, to out: inout String) {
        var bytes: [UInt8] = []
        writeString(value, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
