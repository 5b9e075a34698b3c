import BanshiKit
import Logging
import ServiceLifecycle
import ZeroMQ

/// Delivers the pending routes, each target on a lane of its own (`DeliveryLane`): a target that is
/// down or slow holds up its own routes only, never another target's.
///
/// Within a lane the routes go out in order, pipelined on one connection, and each attempt is
/// settled through the coordinator's own control socket (`route.settle`), where the outcome, the
/// retry schedule and the coordinator's event are written in one transaction. The command's request
/// id is the delivery id, so a command sent again after a crash or a lost reply is applied once.
final class DeliveryWorker: Sendable {
    private let lanes: [DeliveryLane]

    /// `controls`: every configured service's control endpoint, by name; one lane each (the
    /// coordinator's own excepted), and one more for routes to a target that is not configured.
    init(database: ServiceDatabase, context: Context, controls: [String: String], ownControl: String, timeout: Duration, logger: Logger) {
        let targets = controls.keys.filter { $0 != DeliveryLane.own }.sorted()
        let settings = DeliveryLane.Settings(database: database, context: context, ownControl: ownControl, timeout: timeout, logger: logger)
        lanes = targets.map { DeliveryLane(.one($0, endpoint: controls[$0]!), settings) } + [DeliveryLane(.notConfigured(targets), settings)]
    }

    /// Wakes every lane at once (new deliveries were decided).
    func nudge() {
        for lane in lanes { lane.nudge() }
    }

    func start() async throws {
        for lane in lanes { try await lane.start() }
    }

    func stop() async {
        for lane in lanes { await lane.stop() }
    }
}

/// Runs the worker for the life of the service.
struct DeliveryService: Service {
    let worker: DeliveryWorker

    func run() async throws {
        try await worker.start()
        try? await gracefulShutdown()
        await worker.stop()
    }
}
