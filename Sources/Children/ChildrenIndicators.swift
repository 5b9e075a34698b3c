import BanshiKit

/// The children program's indicators, beside its event catalog: each reads only the catalog's events,
/// and reporting measures it against its target in `config/targets.toml` (docs/children.md says where
/// each target comes from).
public enum ChildrenIndicators {
    public static let all: [Indicator] = [
        Indicator(
            "children.interview-centres", program: "children", title: "一站式询问救助中心 One-stop interview centres",
            explanation: "centres registered, counted from the year they opened", kind: .count, cumulative: true,
            reads: ["children.interview-centre.registered"]
        ) { event in
            event.text("centre_id").map { [Fact(period: Fact.day(event.text("opened_on")), entity: $0, counted: true)] } ?? []
        },
        Indicator(
            "children.early-intervention", program: "children", title: "性侵案件提前介入率 Early intervention in sexual-assault cases",
            explanation: "sexual-assault victim cases registered in the period with early intervention recorded on time",
            kind: .rate, reads: ["children.victim-case.registered", "children.intervention.recorded", "children.intervention.overdue"]
        ) { event in
            guard let id = event.text("case_id") else { return [] }
            switch event.type {
            case "children.victim-case.registered":
                // Pending until intervention is recorded or its deadline passes: a fresh case is not a failure.
                return event.flag("intervention_required")
                    ? [Fact(period: event.day("registered_on"), entity: id, counted: true, settled: false)] : []
            case "children.intervention.overdue":
                return [Fact(period: "*", entity: id)]
            default:
                return [Fact(period: "*", entity: id, met: event.flag("on_time"))]
            }
        },
        Indicator(
            "children.legal-education-coverage", program: "children", title: "随迁子女学校法治教育覆盖率 Legal-education coverage",
            explanation: "schools for migrant workers' children with at least one legal-education session in the period",
            kind: .rate, reads: ["children.school.registered", "children.legal-education.held"]
        ) { event in
            guard let id = event.text("school_id") else { return [] }
            switch event.type {
            case "children.school.registered":
                return event.flag("for_migrant_children") ? [Fact(period: "*", entity: id, counted: true)] : []
            default:
                return [Fact(period: Fact.day(event.text("held_on")), entity: id, met: true)]
            }
        },
        Indicator(
            "children.legal-aid-assigned", program: "children", title: "涉案儿童法律援助指派率 Legal aid: duty lawyers assigned",
            explanation: "child victims' legal-aid requests made in the period that got a duty lawyer (rule 2)",
            kind: .rate, reads: ["children.legal-aid.requested", "children.legal-aid.assigned"]
        ) { event in
            guard let id = event.text("request_id") else { return [] }
            if event.type == "children.legal-aid.requested" { return [Fact(period: event.day("requested_on"), entity: id, counted: true)] }
            return [Fact(period: "*", entity: id, met: true)]
        },
    ]
}
