import BanshiKit
import Foundation
import GRDB
import ServiceLifecycle

/// `banshi-children`: the migrant children program (流动儿童 V计划) as a service.
public enum ChildrenService {
    public static let definition = ServiceDefinition(
        name: "children", migrations: ChildrenSchema.register, events: ChildrenEvents.catalog
    ) { environment in
        let section = try environment.section
        let settings = try ChildrenSettings(section.table)
        var services: [any Service] = []
        if let interval = settings.scanInterval {
            services.append(CommandTimer(["deadlines.scan"], every: interval, environment: environment, control: section.control))
        }
        return ServiceParts(commands: commands(settings), services: services)
    }

    /// Every command of the service, in the order `help` lists them.
    public static func commands(_ settings: ChildrenSettings) -> [CommandSpec] {
        ChildCommands.all + OffenderCommands.all + VictimCommands.all(settings) + GuardianshipCommands.all(settings)
            + PreventionCommands.all(settings) + ReportCommands.all(settings) + SchoolCommands.all + CaseCommands.all
            + [DeadlineCommands.scan]
    }
}
