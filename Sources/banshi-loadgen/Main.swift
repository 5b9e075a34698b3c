import BanshiKit
import Foundation

/// `banshi-loadgen --config PATH`: a service whose only business is emitting synthetic events.
///
/// It runs on the same runtime, event log and relay as the program services, so tests and benchmarks
/// exercise the real publishing path without depending on any program's domain rules. Its section in
/// the config is `[services.loadgen]`; the shipped config leaves it out.
@main
struct LoadgenMain {
    static let definition = ServiceDefinition(name: "loadgen") { _ in
        ServiceParts(commands: [emit, hold])
    }

    /// A long read that takes as long as asked: what tests and measurements of long reads hold the
    /// service with, where a report or a backup takes as long as its data.
    static let hold = CommandSpec(
        "hold", "hold a reading connection for `ms` milliseconds, beside the running stage, and say how many events the log held",
        arguments: [ArgumentSpec("ms", .integer, required: true, "how long, 0 to 60000")]
    ) { context in
        let ms = try context.arguments.int("ms", default: 0, in: 0...60_000)
        let events = try await context.read { db in
            let last = try EventLog.lastSeq(db)  // the log's seqs run from 1 without a gap: its event count
            usleep(useconds_t(ms * 1000))
            return last
        }
        return ["held_ms": .int(ms), "events": .int(events)]
    }.runningAside()

    static let emit = CommandSpec(
        "emit", "append `count` synthetic events in one transaction and publish them",
        arguments: [
            ArgumentSpec("count", .integer, "how many events, 1 to 100000 (default 1)"),
            ArgumentSpec("type", .string, "the event type (default loadgen.sample.emitted)"),
            ArgumentSpec("subject", .string, "the subject of every event (default sample/<n>)"),
            ArgumentSpec("payload_bytes", .integer, "the size of a filler string in each payload, 0 to 65536"),
            ArgumentSpec("fail_after", .integer, "fail with conflict after appending this many events (tests atomicity)"),
        ]
    ) { context, events in
        let count = try context.arguments.int("count", default: 1, in: 1...100_000)
        let type = context.arguments.optionalString("type") ?? "loadgen.sample.emitted"
        let topic = try Topic(type)
        guard topic.service == "loadgen" else {
            throw CommandError(.invalidArgument, "loadgen emits only loadgen.* topics, not \(type)", field: "type")
        }
        let filler = String(repeating: "x", count: Int(try context.arguments.int("payload_bytes", default: 0, in: 0...65536)))
        var first: Int64 = 0
        var last: Int64 = 0
        let failAfter = try context.arguments.int("fail_after", default: -1, in: -1...100_000)
        for index in 0..<count {
            if index == failAfter {
                throw CommandError(.conflict, "failing after \(failAfter) events, as asked: none of them may remain")
            }
            let subject = context.arguments.optionalString("subject") ?? "sample/\(index + 1)"
            let event = try events.emit(
                type, subject: subject,
                data: ["index": .int(index), "filler": .string(filler), "emitted_ns": .int(WallClock.nanoseconds())])
            if index == 0 { first = event.seq }
            last = event.seq
        }
        return ["first_seq": .int(first), "last_seq": .int(last), "count": .int(count)]
    }

    static func main() async {
        exit(await ServiceRuntime.main(definition))
    }
}
