import Synchronization

/// Event ids: time-ordered UUIDs (version 7, RFC 9562) in lower-case text.
///
/// Ordered ids matter for the event log's UNIQUE index on `id`: with random (version 4) ids every
/// append dirtied a random leaf of that index, and past a million events the publisher ran at half
/// speed on page misses and WAL writes. A version 7 id starts with the Unix time in milliseconds and,
/// within one millisecond, a counter, so one process's ids only ever grow and the index is appended
/// at its right edge. The rest is random: one seed from the system generator per process, stretched
/// with SplitMix64 (Foundation's `UUID()` asked the kernel for randomness on every call).
public enum EventID {
    struct State {
        var seed: UInt64
        var lastMillis: UInt64 = 0
        var counter: UInt64 = 0
    }

    private static let state = Mutex<State>(State(seed: {
        var system = SystemRandomNumberGenerator()
        return system.next()
    }()))

    /// A new id, e.g. `019ace3f-2b9c-7e1d-8a4f-6b9a1c2e5d7f`.
    public static func next() -> String {
        let now = UInt64(max(0, WallClock.nanoseconds() / 1_000_000))
        let (millis, counter, random) = state.withLock { state -> (UInt64, UInt64, UInt64) in
            if now > state.lastMillis {
                state.lastMillis = now
                state.counter = splitMix(&state.seed) & 0x3FF  // start low in the 12 bits, leaving room to count
            } else {
                state.counter += 1
                if state.counter > 0xFFF {  // 4,096 ids in one millisecond: borrow the next one
                    state.lastMillis += 1
                    state.counter = 0
                }
            }
            return (state.lastMillis, state.counter, splitMix(&state.seed))
        }
        // The 128 bits: 48 of milliseconds, the version, 12 of counter; the variant, 62 random.
        let high = millis << 16 | 0x7000 | counter & 0xFFF
        let low = random & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        // Written straight into the string's storage: the id is made for every event appended.
        return String(unsafeUninitializedCapacity: 36) { text in
            var at = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                let word = nibble < 16 ? high : low
                text[at] = hexDigits.utf8Start[Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (nibble % 16)) & 0xF)]
                at += 1
            }
            return at
        }
    }

    /// The Unix time in milliseconds that an id made by `next()` begins with; nil for text that is no
    /// version 7 UUID.
    public static func milliseconds(of id: String) -> Int64? {
        let hex = Array(id.utf8)
        guard hex.count == 36, [8, 13, 18, 23].allSatisfy({ hex[$0] == UInt8(ascii: "-") }), hex[14] == UInt8(ascii: "7") else { return nil }
        var millis: Int64 = 0
        for byte in hex[0..<8] + hex[9..<13] {
            guard let digit = Int64(String(UnicodeScalar(byte)), radix: 16) else { return nil }
            millis = millis << 4 | digit
        }
        return millis
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
