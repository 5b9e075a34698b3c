import BanshiKit

/// `banshi-lawyer`: lawyer relations (检律同行) as a service: practice rights, online file review, the
/// task book, and duty lawyers for child victims.
public enum LawyerService {
    public static let definition = ServiceDefinition.program(
        "lawyer", migrations: LawyerSchema.register, events: LawyerEvents.catalog,
        deadlines: LawyerDeadlines.all,
        scanSummary: "emit every complaint, file review and milestone past its day, and escalate overdue tasks once per interval"
    ) { environment in
        let settings = try LawyerSettings(try environment.section.table)
        let (calendar, days) = (settings.calendar, settings.fileReviewWorkingDays)
        return ServiceParts(
            commands: commands(settings),
            status: { ["calendar": CalendarOutlook.status(calendar, workingDays: days, today: CalendarDate(Timestamp()))] },
            warnings: [{ CalendarOutlook.warning(calendar, workingDays: days, today: $0) }])
    }

    /// Every command of the service, in the order `help` lists them.
    public static func commands(_ settings: LawyerSettings) -> [CommandSpec] {
        LawyerCommands.all + PracticeRightsCommands.all(settings) + TaskBookCommands.all(settings) + DutyLawyerCommands.all + LawyerViews.listings
    }
}
