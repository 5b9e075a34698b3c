import Dispatch
import Synchronization
import ZeroMQ

/// One service's answer to a command sent to several at once.
public struct ServiceAnswer: Sendable {
    public let service: String
    public let endpoint: String
    public let outcome: Result<JSONValue, any Error>
}

extension ControlClient {
    /// Sends `command` to every target at once, each on a thread of its own, so that the whole call
    /// takes one timeout at most however many services are down. Answers come in `targets`' order.
    /// `watchHandshakes`: as for `init`.
    public static func callEach(
        _ targets: [(name: String, endpoint: String)], command: String, timeout: Duration, context: Context, watchHandshakes: Bool = false
    ) -> [ServiceAnswer] {
        let answers = Mutex<[Int: ServiceAnswer]>([:])
        let group = DispatchGroup()
        for (index, (service, endpoint)) in targets.enumerated() {
            group.enter()
            startThread(named: "banshi-call") {
                let outcome: Result<JSONValue, any Error>
                do {
                    let client = try ControlClient(context: context, service: service, endpoint: endpoint, timeout: timeout, watchHandshakes: watchHandshakes)
                    outcome = .success(try client.call(command).get())
                } catch {
                    outcome = .failure(error)
                }
                answers.withLock { $0[index] = ServiceAnswer(service: service, endpoint: endpoint, outcome: outcome) }
                group.leave()
            }
        }
        group.wait()
        return answers.withLock { collected in targets.indices.compactMap { collected[$0] } }
    }
}
