import BanshiKit

/// `banshi-public-interest`: ecology and food public-interest litigation (公益诉讼) as a service.
public enum PublicInterestService {
    public static let definition = ServiceDefinition.program(
        "public-interest", migrations: PublicInterestSchema.register, events: PublicInterestEvents.catalog, deadlines: PublicInterestDeadlines.all,
        scanSummary: "emit every suggestion reply overdue and every announcement that has run its course"
    ) { environment in
        let settings = try PublicInterestSettings(
            try environment.section.table, dataDirectory: environment.config.stateDirectory(of: "public-interest"))
        return ServiceParts(commands: commands(settings))
    }

    /// Every command of the service, in the order `help` lists them.
    public static func commands(_ settings: PublicInterestSettings) -> [CommandSpec] {
        [SiteCommands.register] + SampleCommands.all(settings) + CaseCommands.all(settings) + EvidenceCommands.all(settings) + PublicInterestViews.listings
    }
}
