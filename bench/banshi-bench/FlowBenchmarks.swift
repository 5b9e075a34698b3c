import BanshiKit
import BanshiTesting
import Foundation

/// The routed flow users depend on: a child-abuse referral at children becomes judicial aid at
/// petition through the coordinator. Measured from the referral's acknowledgement to
/// `petition.aid.opened` on the bus, as a downstream system sees it.
extension ProgramBenchmarks.Phases {
    var steadyFlows: Int { 100 * options.seconds }
    var maxFlows: Int { 5_000 }

    func flows(into report: inout Report) async throws {
        try await suite.start("coordinator")
        let cases = try await victimCases(2 * steadyFlows + maxFlows + steadyFlows / 5)
        let watcher = try await FlowWatcher(context: suite.context, endpoint: suite.subscribeEndpoint, type: "petition.aid.opened")
        do {
            try await measure(cases, watcher, into: &report)
        } catch {
            await watcher.stop()
            throw error
        }
        await watcher.stop()
    }

    private func measure(_ cases: [JSONValue], _ watcher: FlowWatcher, into report: inout Report) async throws {
        var remaining = cases[...]
        func take(_ count: Int) -> [JSONValue] {
            defer { remaining = remaining.dropFirst(count) }
            return Array(remaining.prefix(count))
        }

        let steady = try await refer(take(steadyFlows), label: "flow-steady", perSecond: 100, window: 1000, watcher: watcher)
        report.addPercentiles(
            "flow_latency_us", "routed flow at 100 flows/s: referral acknowledged → aid opened at petition (p50 / p99 / p999)",
            steady.latencies, note: "\(steady.latencies.count.formatted()) flows; \(steady.note)")

        let flood = take(maxFlows)
        let start = ContinuousClock.now
        let max = try await refer(flood, label: "flow-max", perSecond: nil, window: 64, watcher: watcher)
        let (perSecond, display) = rate(flood.count, max.lastArrival - start)
        report.add(
            "flows_per_second", "routed flows at the maximum: referrals (64 in flight) → aid opened", .double(perSecond), display: display,
            note: "\(flood.count.formatted()) flows, first referral sent → last aid opened; \(max.note)")

        // One target down: lawyer's routes wait out their timeouts while petition's keep flowing.
        await suite.processes["lawyer"]?.stop()
        let blocked = take(steadyFlows / 5)
        async let legalAid = CommandLoad.drive(
            context: suite.context, endpoint: suite.control("children"), total: blocked.count, perSecond: 20, window: 1000
        ) { [prefix] in CommandRequest(id: "\(prefix)-legal-aid-\($0)", command: "legal-aid.request", args: ["case_id": blocked[$0]]) }
        let degraded = try await refer(take(steadyFlows), label: "lawyer-down", perSecond: 100, window: 1000, watcher: watcher)
        _ = try await legalAid
        report.addPercentiles(
            "flow_latency_target_down_us", "the same with lawyer down and 20 legal-aid requests/s routed to it (p50 / p99 / p999)",
            degraded.latencies, note: "\(degraded.latencies.count.formatted()) flows; \(degraded.note)")
        try await suite.start("lawyer")
    }

    /// Refers each case (the request id is the flow's correlationid) and waits until every flow's aid
    /// has been opened.
    private func refer(_ cases: [JSONValue], label: String, perSecond: Double?, window: Int, watcher: FlowWatcher) async throws -> FlowRun {
        let result = try await CommandLoad.drive(
            context: suite.context, endpoint: suite.control("children"), total: cases.count, perSecond: perSecond, window: window,
            keepAnswered: true
        ) { [prefix] in
            let id = "\(prefix)-\(label)-\($0)"
            return CommandRequest(id: id, command: "abuse.refer", args: ["case_id": cases[$0], "situation": "邻居报告"], correlationid: id)
        }
        try await waitFor(.seconds(300)) { result.answered.keys.allSatisfy { watcher.arrival($0) != nil } }
        var latencies: [Int64] = []
        var last = ContinuousClock.now - .seconds(3600)
        for (id, acknowledged) in result.answered {
            let arrival = watcher.arrival(id)!
            last = Swift.max(last, arrival)
            latencies.append((arrival - acknowledged).microseconds)
        }
        return FlowRun(latencies: latencies, lastArrival: last, note: ProgramBenchmarks.failures(result))
    }

    /// Registered children with a sexual-assault victim case each, ready to be referred.
    private func victimCases(_ count: Int) async throws -> [JSONValue] {
        let children = try await ProgramMix.created(suite, "children", "child_id", count: count) { [prefix] in
            CommandRequest(
                id: "\(prefix)-flow-child-\($0)", command: "child.register",
                args: ["name": "受害儿童", "birth_date": "2014-06-01", "household_province": "河南省", "migrant_status": "migrant"])
        }
        return try await ProgramMix.created(suite, "children", "case_id", count: count) { [prefix] in
            CommandRequest(
                id: "\(prefix)-flow-case-\($0)", command: "victim-case.register", args: ["child_id": children[$0], "offence_type": "sexual-assault"])
        }
    }
}

/// What one run of referrals came to: each flow's latency, when the last one ended, its failures.
private struct FlowRun {
    var latencies: [Int64]
    var lastArrival: ContinuousClock.Instant
    var note: String
}
