import Logging
import ServiceLifecycle

/// Logs a warning at start and then once a day, while `check` finds one for the day (China Standard
/// Time): for data an operator must extend before a day comes, such as next year's working-day
/// calendar or a year's average wage. `check` takes the day, so that what it says can be tested for
/// any day. The runtime runs one for each of a service's `ServiceParts.warnings`.
public struct DailyWarning: Service {
    /// How far ahead the day the data runs out is warned of.
    public static let horizonDays = 60
    /// How far ahead a service's `status` looks for that day.
    public static let outlookDays = 400

    /// How a warning says when refusals begin: "are refused (unavailable) from today", or "will be
    /// refused (unavailable) from <day>".
    public static func refusal(from day: CalendarDate, today: CalendarDate) -> String {
        day == today ? "are refused (unavailable) from today" : "will be refused (unavailable) from \(day)"
    }

    let logger: Logger
    let check: @Sendable (CalendarDate) -> String?

    public init(logger: Logger, _ check: @escaping @Sendable (CalendarDate) -> String?) {
        self.logger = logger
        self.check = check
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let warning = check(CalendarDate(Timestamp())) { logger.warning("\(warning)") }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(86_400)) }
        }
    }
}
