import BanshiKit

/// The petition program's indicators, beside its event catalog: each reads only the catalog's events,
/// and reporting measures it against its target in `config/targets.toml` (docs/petition.md says where
/// each target comes from).
public enum PetitionIndicators {
    public static let all: [Indicator] = [
        Indicator(
            "petition.procedural-reply-on-time", program: "petition", title: "7日内程序性回复率 Procedural replies within 7 days",
            explanation: "petitions whose procedural reply was given, or missed, in the period; met when on time",
            kind: .rate, reads: ["petition.petition.replied", "petition.procedural-reply.overdue"]
        ) { event in
            guard let id = event.text("petition_id") else { return [] }
            if event.type == "petition.procedural-reply.overdue" { return [Fact(period: event.day("due_on"), entity: id, counted: true)] }
            guard event.text("kind") == "procedural" else { return [] }
            return [Fact(period: event.day("replied_on"), entity: id, counted: true, met: event.flag("on_time"))]
        },
        Indicator(
            "petition.aid-no-blank-spots", program: "petition", title: "司法救助无空白点 Procuratorates granting judicial aid",
            explanation: "registered procuratorates (city and districts) that granted judicial aid at least once in the period",
            kind: .rate, namesUnmet: true, reads: ["petition.procuratorate.registered", "petition.aid.decided"]
        ) { event in
            guard let id = event.text("procuratorate_id") else { return [] }
            if event.type == "petition.procuratorate.registered" { return [Fact(period: "*", entity: id, counted: true)] }
            guard event.text("decision") == "approved" else { return [] }
            // The decision day, as aid.blank-spots counts it (NoBlankSpots); events logged before decided_on fall back to their time.
            return [Fact(period: event.day("decided_on"), entity: id, met: true)]
        },
    ]
}
