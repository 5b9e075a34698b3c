import BanshiKit
import ZeroMQ

/// Asks every service of the suite for its `status`, for the metrics: every bus and each configured
/// service but reporting itself (it cannot wait on its own control socket from inside a command; its
/// own figures come from `own`). All at once, off the cooperative pool, each call bounded by `timeout`.
struct ServiceProbe: Sendable {
    let context: Context
    let config: SuiteConfig
    let timeout: Duration

    func statuses(own: JSONValue) async -> [(name: String, status: JSONValue?)] {
        let targets = config.controlEndpoints.filter { $0.name != "reporting" }
        let probe = self
        let answers = (try? await onOwnThread {
            ControlClient.callEach(targets, command: "status", timeout: probe.timeout, context: probe.context)
        }) ?? []
        return answers.map { (name: $0.service, status: try? $0.outcome.get()) } + [(name: "reporting", status: own)]
    }
}
