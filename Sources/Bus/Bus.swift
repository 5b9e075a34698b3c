import BanshiKit
import ZeroMQ

/// `banshi-bus`: the stateless event bus. It keeps no database and publishes nothing of its own. A suite
/// may run several (`[buses.bus-<x>]`, each process started with `--instance bus-<x>`): publishers send
/// to all and subscribers listen to all, so that none is a single point of failure.
public enum Bus {
    public static let definition = ServiceDefinition(name: "bus", publishesEvents: false, usesDatabase: false) { environment in
        let proxy = try BusProxy(
            context: environment.context, publish: environment.bus.publish,
            subscribe: environment.bus.subscribe, highWaterMark: environment.bus.highWaterMark,
            maxConnections: ConnectionCap.limit(configured: environment.config.runtime.maxConnections, sharedBy: 2),
            keys: environment.keys, logger: environment.logger)
        return ServiceParts(
            services: [BusProxyService(proxy: proxy)],
            status: {
                let stats = proxy.statistics
                return [
                    "publish_endpoint": .string(proxy.publishEndpoint),
                    "subscribe_endpoint": .string(proxy.subscribeEndpoint),
                    "messages_forwarded": .int(stats.messagesForwarded),
                    "bytes_forwarded": .int(stats.bytesForwarded),
                    "subscriptions_forwarded": .int(stats.subscriptionsForwarded),
                    "events_refused": .int(stats.eventsRefused),
                    "publishers": .int(Int64(stats.publishers)),
                    "subscribers": .int(Int64(stats.subscribers)),
                    "topics": .array(stats.topics.sorted().map(JSONValue.string)),
                ]
            },
            startup: {
                try await proxy.start()
                environment.logger.info("proxy bound", metadata: [
                    "publish": "\(proxy.publishEndpoint)", "subscribe": "\(proxy.subscribeEndpoint)",
                    "high_water_mark": "\(environment.bus.highWaterMark)", "bus": "\(environment.bus.name)",
                    "connections_cap_per_side": "\(proxy.maxConnections)",
                ])
            })
    }
}
