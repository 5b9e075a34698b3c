/// SHA-256 (FIPS 180-4), for the audit log's argument digests and key fingerprints.
///
/// Written out (70 lines) rather than taken from swift-crypto, which would add a minute to every CI
/// build for one hash; it is checked against the FIPS test vectors.
public enum SHA256 {
    fileprivate static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// A digest taken a piece at a time, for files too large to hold (evidence footage).
    public struct Hasher: Sendable {
        private var hash: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        private var pending: [UInt8] = []
        private var length: UInt64 = 0

        public init() {}

        /// Adds `bytes` to what is hashed.
        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { update($0) }
        }

        private mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
            length += UInt64(bytes.count)
            var start = 0
            if !pending.isEmpty {
                // Complete the block left over from the last piece first.
                let needed = min(64 - pending.count, bytes.count)
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<needed]))
                start = needed
                guard pending.count == 64 else { return }
                pending.withUnsafeBufferPointer { SHA256.compress($0.baseAddress!, into: &hash) }
                pending.removeAll(keepingCapacity: true)
            }
            let whole = start + (bytes.count - start) / 64 * 64
            for block in stride(from: start, to: whole, by: 64) { SHA256.compress(bytes.baseAddress! + block, into: &hash) }
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[whole...]))
        }

        /// The digest of everything added.
        public mutating func finalize() -> [UInt8] {
            let bits = length * 8
            var tail = pending
            tail.append(0x80)
            // Padded to 8 bytes short of a block's end, then the length: one block or two.
            tail.append(contentsOf: repeatElement(0, count: (tail.count <= 56 ? 56 : 120) - tail.count))
            for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            tail.withUnsafeBufferPointer { tail in
                for block in stride(from: 0, to: tail.count, by: 64) { SHA256.compress(tail.baseAddress! + block, into: &hash) }
            }
            pending = []
            var digest: [UInt8] = []
            digest.reserveCapacity(32)
            for word in hash {
                for shift in stride(from: 24, through: 0, by: -8) { digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
            }
            return digest
        }

        /// The digest as lower-case hex.
        public mutating func finalizeHex() -> String { SHA256.hexText(finalize()) }
    }

    /// Hashes the 64-byte block at `block` into `state`. Every command's arguments are digested for
    /// the audit log, so the message schedule lives on the stack and nothing is allocated.
    private static func compress(_ block: UnsafePointer<UInt8>, into state: inout [UInt32]) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                let j = i * 4
                w[i] = UInt32(block[j]) << 24 | UInt32(block[j + 1]) << 16 | UInt32(block[j + 2]) << 8 | UInt32(block[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            k.withUnsafeBufferPointer { k in
                state.withUnsafeMutableBufferPointer { hash in
                    var (a, b, c, d, e, f, g, h) = (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7])
                    for i in 0..<64 {
                        let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                        let choice = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
                        let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ majority
                        (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                    }
                    hash[0] &+= a
                    hash[1] &+= b
                    hash[2] &+= c
                    hash[3] &+= d
                    hash[4] &+= e
                    hash[5] &+= f
                    hash[6] &+= g
                    hash[7] &+= h
                }
            }
        }
    }

    /// The digest as lower-case hex.
    public static func hex(_ bytes: [UInt8]) -> String { hexText(digest(bytes)) }

    static func hexText(_ digest: [UInt8]) -> String {
        // Two digits a byte into one buffer: every command's arguments are digested for the audit log.
        var text = [UInt8](repeating: 0, count: digest.count * 2)
        for (index, byte) in digest.enumerated() {
            text[2 * index] = hexDigits[Int(byte >> 4)]
            text[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    fileprivate static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 { (value >> count) | (value << (32 - count)) }
}
