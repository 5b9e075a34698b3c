import BanshiKit
import Children
import Enterprise
import Lawyer
import Petition
import PublicInterest

/// Every program's indicators, as reporting measures them. Each program declares its indicators
/// beside its event catalog; this list is where reporting takes them in: one entry per program.
public enum ProgramIndicators {
    /// Each program's event catalog with the indicators that read it.
    public static let programs: [(catalog: EventCatalog, indicators: [Indicator])] = [
        (EnterpriseEvents.catalog, EnterpriseIndicators.all),
        (LawyerEvents.catalog, LawyerIndicators.all),
        (ChildrenEvents.catalog, ChildrenIndicators.all),
        (PetitionEvents.catalog, PetitionIndicators.all),
        (PublicInterestEvents.catalog, PublicInterestIndicators.all),
    ]

    public static let all: [Indicator] = programs.flatMap(\.indicators)

    /// The indicators that read `type`.
    static let byType: [String: [Indicator]] = {
        var map: [String: [Indicator]] = [:]
        for indicator in all { for type in indicator.reads { map[type, default: []].append(indicator) } }
        return map
    }()
}
