import BanshiKit
import Foundation

/// The program kit's conformance check, which every program's system tests run: a test drive of the
/// program's commands, and then, for what crossed the real bus,
/// - every event type of the program's catalog was produced (but those named as proven elsewhere),
/// - every event validates against its type's contract, and the published JSON Schema
///   (`docs/schemas/<service>/<type>.json`) is that contract,
/// - no personal value given during the drive appears in any envelope,
/// - the program's seq is gapless from 1 to its log's last, and the bus carried exactly its log.
///
/// It returns what it found rather than asserting, so that it serves any test framework: a test
/// expects `problems` to be empty.
public struct ProgramConformance: Sendable {
    public let service: String
    public let catalog: EventCatalog
    /// Personal values the drive gave (names, identity numbers, addresses, schools, phone numbers).
    public let personal: [String]
    /// Event types the drive does not produce, each with why (the test that proves it elsewhere).
    public let provenElsewhere: [String: String]

    public init(service: String, catalog: EventCatalog, personal: [String], provenElsewhere: [String: String] = [:]) {
        self.service = service
        self.catalog = catalog
        self.personal = personal
        self.provenElsewhere = provenElsewhere
    }

    /// What the check found.
    public struct Report: Sendable {
        /// Every way the program broke its contract; empty when it conforms.
        public var problems: [String] = []
        /// The program's events as they crossed the bus, in order.
        public var events: [EventEnvelope] = []
    }

    /// Subscribes to the program's events on the suite's bus, runs `drive`, then checks everything
    /// that crossed. The subscription is in place before the drive starts.
    public func check(_ suite: TestSuite, drive: () async throws -> Void) async throws -> Report {
        let subscriber = try EventSubscriber(
            context: suite.context, endpoint: suite.subscribeEndpoint, prefixes: ["\(service)."], identity: suite.identity)
        try await waitUntilSubscribed(suite)
        try await drive()
        var report = Report()
        let lastSeq = try await suite.call(service, "status").get()["last_seq"]?.intValue ?? 0
        var received = 0
        while report.events.count < lastSeq {
            guard let message = try await subscriber.receive(1, within: .seconds(5)).first, message.count == 2 else { break }
            received += 1
            if Heartbeat.isHeartbeat(topic: message[0]) { continue }
            let text = String(decoding: message[1], as: UTF8.self)
            for value in personal where text.contains(value) {
                report.problems.append("personal value '\(value)' in \(text)")
            }
            do {
                report.events.append(try EventEnvelope.decode(message[1]))
            } catch {
                report.problems.append("an envelope that does not decode: \(error): \(text)")
            }
        }
        for event in report.events { report.problems += contractProblems(event) }
        let seqs = report.events.map(\.seq)
        if seqs != (lastSeq > 0 ? Array(1...lastSeq) : []) {
            report.problems.append("the bus carried seqs \(Self.ranges(seqs)), not 1...\(lastSeq) without a gap")
        }
        let logged = try await suite.call(service, "events.since", ["after_seq": 0, "limit": 10_000]).get()["events"]?.arrayValue ?? []
        let loggedIDs = logged.compactMap { $0["id"]?.stringValue }
        if loggedIDs != report.events.map(\.id) {
            report.problems.append("the bus carried \(report.events.count) events, the log holds \(loggedIDs.count) others or in another order")
        }
        let unseen = Set(catalog.events.map(\.type)).subtracting(report.events.map(\.type)).subtracting(provenElsewhere.keys)
        for type in unseen.sorted() { report.problems.append("the drive produced no \(type)") }
        let produced = Set(report.events.map(\.type))
        for type in provenElsewhere.keys.sorted() where produced.contains(type) {
            report.problems.append("\(type) is listed as proven elsewhere but the drive produced it: take it off the list")
        }
        return report
    }

    /// Where `event` breaks the contract: a type outside the catalog, data its spec refuses, another
    /// source, or a published schema that is not the spec's.
    func contractProblems(_ event: EventEnvelope) -> [String] {
        var problems: [String] = []
        if event.source != EventEnvelope.source(of: service) { problems.append("\(event.type) from \(event.source)") }
        guard let spec = catalog.spec(event.type) else {
            return problems + ["\(event.type) is not in the \(service) catalog"]
        }
        if let mismatch = spec.mismatch(event.data) { problems.append("\(event.type) breaks its contract: \(mismatch)") }
        let file = "\(TestRepository.path)/docs/schemas/\(service)/\(event.type).json"
        let published = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { try? JSONValue.parse(Array($0.utf8)) }
        if published != spec.jsonSchema { problems.append("\(file) is missing or is not \(event.type)'s contract (scripts/contract.sh)") }
        return problems
    }

    /// Waits until the bus reports a subscription to the program's topics.
    private func waitUntilSubscribed(_ suite: TestSuite) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let topics = try await suite.call("bus", "status").get()["topics"]?.arrayValue ?? []
            if topics.contains(.string("\(service).")) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSuiteError("the bus never reported the subscription to \(service).")
    }

    /// `1-5, 7` for a person.
    static func ranges(_ seqs: [Int64]) -> String {
        seqs.count > 20 ? "\(seqs.prefix(10))…\(seqs.suffix(5)) (\(seqs.count))" : "\(seqs)"
    }
}

/// The repository the tests run from (the source tree of this file).
public enum TestRepository {
    public static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
}
