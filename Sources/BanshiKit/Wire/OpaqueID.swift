import Glibc
import Synchronization

/// Identifiers that say nothing about what they name: `CH-1M8NPXXHFN7B8J1GKZGHK`.
///
/// A child's id travels in events to every subscriber, so it must not encode a name, a birth date or
/// anything else about the person. After the prefix and a hyphen come 9 characters of Crockford base32
/// holding the creation time in Unix milliseconds, then 12 holding 60 random bits.
///
/// The time comes first so that ids grow: every table keyed by an id, and every index on one (a
/// case's child, an event log's child, reporting's subjects and facts), is then appended at its right
/// edge instead of having a random leaf dirtied and written for each record: ordered ids raised the
/// program services' command rates by 10–20 % (docs/benchmarks.md). What an id tells beyond that is
/// when its record was made, which the record's creating event publishes anyway (its `time`).
public enum OpaqueID {
    private static let alphabet: StaticString = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

    /// A fresh id: `prefix`, a hyphen, 9 characters of time and 12 random ones.
    public static func make(_ prefix: String) -> String {
        make(prefix, millis: UInt64(max(0, WallClock.nanoseconds() / 1_000_000)))
    }

    /// An id made at `millis` (Unix milliseconds): ids made later sort after it.
    public static func make(_ prefix: String, millis: UInt64) -> String {
        var bits = randomBits.withLock { $0.next() }
        var time = millis
        var prefix = prefix
        return prefix.withUTF8 { head in
            String(unsafeUninitializedCapacity: head.count + 22) { text in
                _ = text.initialize(fromContentsOf: head)
                text[head.count] = UInt8(ascii: "-")
                let start = head.count + 1
                for index in (start..<start + 9).reversed() {  // 45 bits of milliseconds: until the year 3084
                    text[index] = alphabet.utf8Start[Int(time & 31)]
                    time >>= 5
                }
                for index in start + 9..<start + 21 {
                    text[index] = alphabet.utf8Start[Int(bits & 31)]
                    bits >>= 5
                }
                return start + 21
            }
        }
    }

    /// The system's random bits, drawn 4 KiB at a time (glibc's `arc4random_buf`, from the kernel's
    /// generator): `SystemRandomNumberGenerator` asks the kernel for each 8 bytes, and with the
    /// string put together piece by piece that was a fiftieth of a short command's time.
    private static let randomBits = Mutex(RandomWords())

    struct RandomWords: ~Copyable {
        private var words = [UInt64](repeating: 0, count: 512)
        private var used = 512

        mutating func next() -> UInt64 {
            if used == words.count {
                words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                used = 0
            }
            defer { used += 1 }
            return words[used]
        }
    }
}
