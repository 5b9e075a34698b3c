import BanshiKit
import SQLite
import ServiceLifecycle

/// `banshi-children`: the migrant children program (流动儿童 V计划) as a service.
public enum ChildrenService {
    public static let definition = ServiceDefinition.program(
        "children", migrations: ChildrenSchema.register, events: ChildrenEvents.catalog, deadlines: ChildrenDeadlines.all,
        scanSummary: "emit every deadline passed by `now` that has not been emitted yet"
    ) { environment in
        ServiceParts(commands: commands(try ChildrenSettings(try environment.section.table)))
    }

    /// Every command of the service, in the order `help` lists them.
    public static func commands(_ settings: ChildrenSettings) -> [CommandSpec] {
        ChildCommands.all + OffenderCommands.all + VictimCommands.all(settings) + GuardianshipCommands.all(settings)
            + PreventionCommands.all(settings) + ReportCommands.all(settings) + SchoolCommands.all + CaseCommands.all

    }
}
