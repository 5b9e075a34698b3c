/// Identifiers that say nothing about what they name: `CH-7K2M9QXA4RZT`.
///
/// A child's id travels in events to every subscriber, so it must not encode a name, a birth date or
/// a registration order. 12 characters of Crockford base32 hold 60 random bits.
public enum OpaqueID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A fresh id: `prefix`, a hyphen and 12 random characters.
    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var bits = generator.next() as UInt64
        var characters = [UInt8](repeating: 0, count: 12)
        for index in characters.indices {
            characters[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return prefix + "-" + String(decoding: characters, as: UTF8.self)
    }
}
