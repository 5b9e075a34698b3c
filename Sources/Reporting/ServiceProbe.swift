import BanshiKit
import Foundation
import ZeroMQ

/// Asks every service of the suite for its `status`, for the metrics: the bus and each configured
/// service but reporting itself (it cannot wait on its own control socket from inside a command; its
/// own figures come from `own`). Runs on a thread of its own, each call bounded by `timeout`.
struct ServiceProbe: Sendable {
    let context: Context
    let config: SuiteConfig
    let timeout: Duration

    func statuses(own: JSONValue) async -> [(name: String, status: JSONValue?)] {
        let targets = config.buses.map { ($0.name, $0.control) } + config.services.filter { $0.name != "reporting" }.map { ($0.name, $0.control) }
        let context = UncheckedContext(context: context)
        let timeout = timeout
        let others = await withCheckedContinuation { (continuation: CheckedContinuation<[(String, JSONValue?)], Never>) in
            Thread {
                continuation.resume(returning: targets.map { name, endpoint in
                    let client = try? ControlClient(context: context.context, service: name, endpoint: endpoint, timeout: timeout)
                    return (name, try? client?.call("status").get())
                })
            }.start()
        }
        return (others + [("reporting", own)]).map { (name: $0.0, status: $0.1) }
    }
}

/// The ZeroMQ context (thread-safe in libzmq) handed to the probing thread.
private struct UncheckedContext: @unchecked Sendable {
    let context: Context
}
