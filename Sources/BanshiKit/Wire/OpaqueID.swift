/// Identifiers that say nothing about what they name: `CH-01KB3F7Q2K7K2M9QXA4RZT`.
///
/// A child's id travels in events to every subscriber, so it must not encode a name, a birth date or
/// anything else about the person. After the prefix and a hyphen come 9 characters of Crockford base32
/// holding the creation time in Unix milliseconds, then 12 holding 60 random bits.
///
/// The time comes first so that ids grow: every table keyed by an id, and every index on one (a
/// case's child, an event log's child, reporting's subjects and facts), is then appended at its right
/// edge instead of having a random leaf dirtied and written for each record. With random ids that
/// page was most of a command's cost on the busiest services (measured in docs/benchmarks.md). The
/// time an id carries is the time its creating event publishes anyway (`time` of the `…registered`
/// event), so it tells a reader of the id nothing that reader of the event could not know.
public enum OpaqueID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A fresh id: `prefix`, a hyphen, 9 characters of time and 12 random ones.
    public static func make(_ prefix: String) -> String {
        make(prefix, millis: UInt64(max(0, WallClock.nanoseconds() / 1_000_000)))
    }

    /// An id made at `millis` (Unix milliseconds): ids made later sort after it.
    public static func make(_ prefix: String, millis: UInt64) -> String {
        var generator = SystemRandomNumberGenerator()
        var bits = generator.next() as UInt64
        var time = millis
        var characters = [UInt8](repeating: 0, count: 21)
        for index in (0..<9).reversed() {  // 45 bits of milliseconds: enough until the year 3084
            characters[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        for index in 9..<21 {
            characters[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return prefix + "-" + String(decoding: characters, as: UTF8.self)
    }
}
