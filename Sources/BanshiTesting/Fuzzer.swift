import BanshiKit
import Foundation
import ZeroMQ

/// Generates hostile requests for a control socket: random bytes, truncated and mutated JSON, huge
/// numbers, deep nesting, invalid UTF-8, wrong types, multipart where one frame is expected, and real
/// commands with arguments of random shapes. Seeded, so a failure can be replayed.
public struct Fuzzer {
    /// Commands a fuzzer must not run with random arguments: they write files or start heavy work.
    public static let spared: Set<String> = ["backup", "emit", "rebuild", "rebuild.step", "guidelines.import", "procuratorates.import"]

    private var random: SplitMix
    private let commands: [String]
    private let maxRequestBytes: Int

    public init(seed: UInt64, commands: [String], maxRequestBytes: Int = 1 << 20) {
        random = SplitMix(seed: seed)
        self.commands = commands.filter { !Self.spared.contains($0) }
        self.maxRequestBytes = maxRequestBytes
    }

    /// The frames of the next request (after the REQ envelope's empty delimiter).
    public mutating func next() -> [[UInt8]] {
        switch random.below(11) {
        case 0: return [bytes(count: random.below(200))]
        case 1: return [truncated(valid())]
        case 2: return [flipped(valid())]
        case 3: return [Array(#"{"id":"n","command":"\#(command())","args":{"limit":1e999999,"count":123456789012345678901234567890,"after_seq":-9223372036854775809}}"#.utf8)]
        case 4:
            let depth = 1 + random.below(20_000)
            return [Array(String(repeating: random.below(2) == 0 ? "[" : "{\"a\":", count: depth).utf8)]
        case 5: return [Array(#"{"id":"u","command":""#.utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array(#"","args":{}}"#.utf8)]
        case 6:
            let shapes = [#"{"id":7,"command":"status"}"#, #"{"id":"w","command":["status"]}"#, #"{"id":"w","command":"status","args":"x"}"#,
                          #"{"id":"","command":"status"}"#, #"[]"#, #"null"#, #""status""#, #"{"id":"w","command":"status","correlationid":5}"#]
            return [Array(shapes[random.below(shapes.count)].utf8)]
        case 7: return (0..<(2 + random.below(3))).map { _ in valid() }
        case 8 where random.below(50) == 0: return [[UInt8](repeating: UInt8(ascii: "a"), count: maxRequestBytes + 1 + random.below(1000))]
        default: return [valid()]
        }
    }

    private mutating func command() -> String { commands.isEmpty ? "status" : commands[random.below(commands.count)] }

    /// A well-formed request for a real command with arguments of random names and shapes.
    private mutating func valid() -> [UInt8] {
        var args: [String: JSONValue] = [:]
        let names = ["limit", "after_seq", "case_id", "child_id", "now", "query", "id_number", "count", "year", "kind", "amount", "x"]
        for _ in 0..<random.below(4) { args[names[random.below(names.count)]] = value(depth: 0) }
        return Array(CommandRequest(id: "f\(random.next())", command: command(), args: args).serialized().utf8)
    }

    private mutating func value(depth: Int) -> JSONValue {
        switch random.below(depth > 2 ? 6 : 8) {
        case 0: return .int(Int64(bitPattern: random.next()))
        case 1: return .double(Double(bitPattern: random.next()))
        case 2: return .string(String(decoding: bytes(count: random.below(40)), as: UTF8.self))
        case 3: return .bool(random.below(2) == 0)
        case 4: return .null
        case 5:
            let edges = [
                "2026-02-30", "2026-03-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31", "0001-01-01", "1970-01-01T00:00:00+14:00",
                "CH-XXXX", "110105200803151232", "", "刑事合规",
            ]
            return .string(edges[random.below(edges.count)])
        case 6: return .array((0..<random.below(4)).map { _ in value(depth: depth + 1) })
        default: return .object(Dictionary(uniqueKeysWithValues: (0..<random.below(4)).map { ("k\($0)", value(depth: depth + 1)) }))
        }
    }

    private mutating func bytes(count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }

    private mutating func truncated(_ text: [UInt8]) -> [UInt8] { Array(text.prefix(random.below(max(text.count, 1)))) }

    private mutating func flipped(_ text: [UInt8]) -> [UInt8] {
        var copy = text
        for _ in 0..<(1 + random.below(4)) where !copy.isEmpty { copy[random.below(copy.count)] ^= UInt8(1 << random.below(8)) }
        return copy
    }

    /// Whether `raw` is a well-formed reply: a JSON object with `id`, a boolean `ok`, and either a
    /// `result`, or an `error` whose `code` is one of the contract's codes and whose `message` is text.
    public static func isWellFormed(_ raw: [UInt8]) -> Bool {
        guard let value = try? JSONValue.parse(raw), let object = value.objectValue, object.keys.contains("id"),
            let ok = value["ok"]?.boolValue
        else { return false }
        if ok { return object["result"] != nil }
        guard let code = value["error"]?["code"]?.stringValue, ErrorCode(rawValue: code) != nil,
            value["error"]?["message"]?.stringValue != nil
        else { return false }
        return true
    }
}

/// SplitMix64: a small, fast, seedable generator for the fuzzer.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

extension TestSuite {
    /// Sends `count` fuzzed requests to `service`'s control socket, a window at a time, and returns
    /// how many replies came back and how many of them were not well-formed.
    public func fuzz(_ service: String, count: Int, seed: UInt64, window: Int = 64) async throws -> (replies: Int, malformed: Int) {
        let help = try await call(service, "help").get()
        let commands = help["commands"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let context = self.context
        let endpoint = control(service)
        let identity = self.identity
        return try await onOwnThread {
            let socket = try Socket(context, .dealer)
            try socket.setLinger(.zero)
            try identity?.secureClient(socket, peer: service)
            try socket.connect(endpoint)
            var fuzzer = Fuzzer(seed: seed, commands: commands)
            let poller = Poller()
            poller.add(socket)
            var sent = 0
            var replies = 0
            var malformed = 0
            while sent < count {
                let batch = min(window, count - sent)
                for _ in 0..<batch { try socket.send(parts: [[]] + fuzzer.next()) }
                sent += batch
                var awaited = batch
                while awaited > 0 {
                    guard try poller.poll(timeout: .seconds(10)) > 0, let reply = try socket.receiveMultipart(dontWait: true) else {
                        throw TestSuiteError("\(service) stopped answering after \(replies) replies to \(sent) fuzzed requests (seed \(seed))")
                    }
                    replies += 1
                    awaited -= 1
                    if reply.count != 2 || !reply[0].isEmpty || !Fuzzer.isWellFormed(reply[1]) { malformed += 1 }
                }
            }
            return (replies, malformed)
        }
    }
}
