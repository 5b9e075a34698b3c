import BanshiKit

/// The indicators of the programs that exist, each from its program's rules (docs/<program>.md). Adding one is a few lines here and a
/// target in `config/targets.toml`.
public enum ProgramIndicators {
    public static let all: [Indicator] = children + petition

    static let children: [Indicator] = [
        Indicator(
            "children.interview-centres", program: "children", title: "一站式询问救助中心 One-stop interview centres",
            explanation: "centres registered, counted from the year they opened", kind: .count, cumulative: true,
            reads: ["children.interview-centre.registered"]
        ) { event in
            event.text("centre_id").map { [Fact(period: Fact.year(event.text("opened_on")), entity: $0, counted: true)] } ?? []
        },
        Indicator(
            "children.early-intervention", program: "children", title: "性侵案件提前介入率 Early intervention in sexual-assault cases",
            explanation: "sexual-assault victim cases registered in the period with early intervention recorded on time",
            kind: .rate, reads: ["children.victim-case.registered", "children.intervention.recorded"]
        ) { event in
            guard let id = event.text("case_id") else { return [] }
            switch event.type {
            case "children.victim-case.registered":
                return event.flag("intervention_required") ? [Fact(period: event.year, entity: id, counted: true)] : []
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
                return [Fact(period: Fact.year(event.text("held_on")), entity: id, met: true)]
            }
        },
    ]

    static let petition: [Indicator] = [
        Indicator(
            "petition.procedural-reply-on-time", program: "petition", title: "7日内程序性回复率 Procedural replies within 7 days",
            explanation: "petitions whose procedural reply was given, or missed, in the period; met when on time",
            kind: .rate, reads: ["petition.petition.replied", "petition.procedural-reply.overdue"]
        ) { event in
            guard let id = event.text("petition_id") else { return [] }
            if event.type == "petition.procedural-reply.overdue" { return [Fact(period: event.year, entity: id, counted: true)] }
            guard event.text("kind") == "procedural" else { return [] }
            return [Fact(period: event.year, entity: id, counted: true, met: event.flag("on_time"))]
        },
        Indicator(
            "petition.aid-no-blank-spots", program: "petition", title: "司法救助无空白点 Procuratorates granting judicial aid",
            explanation: "registered procuratorates (city and districts) that granted judicial aid at least once in the period",
            kind: .rate, reads: ["petition.procuratorate.registered", "petition.aid.decided"]
        ) { event in
            guard let id = event.text("procuratorate_id") else { return [] }
            if event.type == "petition.procuratorate.registered" { return [Fact(period: "*", entity: id, counted: true)] }
            return event.text("decision") == "approved" ? [Fact(period: event.year, entity: id, met: true)] : []
        },
    ]

    /// The indicators that read `type`.
    static let byType: [String: [Indicator]] = {
        var map: [String: [Indicator]] = [:]
        for indicator in all { for type in indicator.reads { map[type, default: []].append(indicator) } }
        return map
    }()
}
