import BanshiKit

/// `banshi-enterprise`: enterprise outreach and criminal-compliance leniency (检企亲清) as a service.
public enum EnterpriseService {
    public static let definition = ServiceDefinition.program(
        "enterprise", migrations: EnterpriseSchema.register, events: EnterpriseEvents.catalog, deadlines: EnterpriseDeadlines.all,
        scanSummary: "emit every opinion card, supervision period and health check that passed its day unannounced"
    ) { environment in
        ServiceParts(commands: commands(try EnterpriseSettings(try environment.section.table)))
    }

    /// Every command of the service, in the order `help` lists them.
    public static func commands(_ settings: EnterpriseSettings) -> [CommandSpec] {
        EnterpriseCommands.all(settings) + OutreachCommands.all + OpinionCardCommands.all(settings) + ComplianceCommands.all
            + RiskCommands.all(settings) + EnterpriseViews.listings(settings)
    }
}
