import BanshiKit
import SQLite
import ServiceLifecycle

/// `banshi-petition`: the 12309 window (12309 云窗口): guidelines, Q&A, petitions and judicial aid.
public enum PetitionService {
    public static let definition = ServiceDefinition.program(
        "petition", migrations: PetitionSchema.register, events: PetitionEvents.catalog, deadlines: PetitionDeadlines.scanned,
        scanSummary: "emit every petition deadline missed by `now` and not yet emitted"
    ) { environment in
        let section = try environment.section
        let settings = try PetitionSettings(section.table)
        var services: [any Service] = []
        if settings.importOnStart {
            services.append(
                CommandTimer(["procuratorates.import", "guidelines.import"], every: nil, atStart: true, environment: environment, control: section.control))
        }
        let cap = settings.aidCap
        return ServiceParts(
            commands: commands(settings), services: services,
            status: { ["aid_wages": AidWageOutlook.status(cap, today: CalendarDate(Timestamp()))] },
            warnings: [{ AidWageOutlook.warning(cap, today: $0) }])
    }

    /// Every command of the service, in the order `help` lists them.
    public static func commands(_ settings: PetitionSettings) -> [CommandSpec] {
        GuidelineCommands.all(settings) + InquiryCommands.all + PetitionCommands.all + AidCommands.all(settings)
            + ProcuratorateCommands.all(settings)
    }
}
