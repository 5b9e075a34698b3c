import BanshiKit
import SQLite
import ServiceLifecycle

/// `banshi-coordinator`: routes cross-cutting events into commands on other services, acknowledged,
/// retried and applied exactly once.
///
/// A durable subscription (the services in `follow`) decides, in the same transaction as its cursor,
/// which rules each event triggers; the delivery worker sends the commands and settles each attempt.
public enum CoordinatorService {
    public static let definition = ServiceDefinition(
        name: "coordinator", migrations: CoordinatorSchema.register, events: CoordinatorEvents.catalog
    ) { environment in
        let section = try environment.section
        let database = try environment.requiredDatabase
        let settings = try CoordinatorSettings(section.table)
        let targets = Set(environment.config.services.map(\.name)).subtracting(["coordinator"])
        let book: RouteBook
        do throws(RuleFileError) {
            book = try RouteBook.load(file: settings.routesFile, services: targets)
        } catch {
            throw section.table.error("routes_file", error.description)
        }
        // Without `follow`, the sources are the services the rules listen to (a wildcard: all of them).
        let publishers = environment.config.publishers(besides: "coordinator")
        let listened = book.rules.map { $0.topic.service }
        let subscription = try SubscriberSettings(
            environment, defaultFollow: listened.contains(nil) ? publishers : publishers.filter { listened.contains($0) })
        environment.logger.info("routes loaded", metadata: ["file": "\(book.file)", "rules": "\(book.rules.count)"])
        for rule in book.dormant {
            environment.logger.warning(
                "rule set aside: its target is not configured here", metadata: ["rule": "\(rule.id)", "target": "\(rule.target)"])
        }
        let state = RouteState(book, services: targets)
        let worker = DeliveryWorker(
            database: database, context: environment.context,
            controls: Dictionary(environment.config.services.map { ($0.name, $0.control) }, uniquingKeysWith: { first, _ in first }),
            ownControl: section.control, timeout: environment.config.runtime.requestTimeout, logger: environment.logger)
        let subscriber = DurableSubscriber(
            context: environment.context, busEndpoints: environment.config.subscribeEndpoints, sources: subscription.sources,
            database: database, requestTimeout: environment.config.runtime.requestTimeout,
            receiveHighWaterMark: subscription.receiveHighWaterMark, logger: environment.logger,
            committed: { _ in worker.nudge() }
        ) { db, events in
            let book = state.current
            let now = Timestamp()
            for event in events { _ = try RouteDecision.decide(db, event.envelope, book: book, settings: settings, now: now) }
        }
        return ServiceParts(
            commands: RouteCommands.all(state) + [SettleCommand.make(settings)],
            services: [
                DurableSubscriberService(subscriber), DeliveryService(worker: worker),
                HangupCommand("rules.reload", environment: environment, control: section.control),
            ],
            status: {
                var status: [String: JSONValue] = ["subscriptions": subscriber.statusValue(), "rules": .int(Int64(state.current.rules.count))]
                if let counts = try? await database.writer.read({ db -> [String: JSONValue] in
                    let rows = try Row.fetchAll(db, cached: "SELECT status, COUNT(*) AS n FROM delivery GROUP BY status")
                    return Dictionary(uniqueKeysWithValues: rows.map { ($0["status"] as String, JSONValue.int($0["n"])) })
                }) {
                    status["deliveries"] = .object(counts)
                }
                return status
            })
    }
}
