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
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * UInt64(5 - index))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)  // version 7, counter high bits
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(index - 8))) }
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
