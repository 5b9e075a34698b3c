import BanshiKit

/// The enterprise program's indicators, beside its event catalog: each reads only the catalog's
/// events, and reporting measures it against its target in `config/targets.toml`. The shipped targets
/// are the programme's figures of its first months (docs/enterprise.md).
public enum EnterpriseIndicators {
    /// A count of one entity per event of `type`, in the year of its `day` field.
    static func count(_ id: String, _ title: String, _ explanation: String, _ type: String, entity: String, day: String, when: String? = nil) -> Indicator {
        Indicator(id, program: "enterprise", title: title, explanation: explanation, kind: .count, reads: [type]) { event in
            guard let key = event.text(entity), when.map({ event.text("kind") == $0 }) ?? true else { return [] }
            return [Fact(period: Fact.day(event.text(day)), entity: key, counted: true)]
        }
    }

    /// A rate over opinion cards: counted in the year collected, met when answered (on time, if asked).
    static func cards(_ id: String, _ title: String, _ explanation: String, onTime: Bool) -> Indicator {
        Indicator(
            id, program: "enterprise", title: title, explanation: explanation, kind: .rate,
            reads: ["enterprise.opinion-card.collected", "enterprise.opinion-card.answered"]
        ) { event in
            guard let card = event.text("card_id") else { return [] }
            if event.type == "enterprise.opinion-card.collected" { return [Fact(period: Fact.day(event.text("collected_on")), entity: card, counted: true)] }
            return [Fact(period: "*", entity: card, met: !onTime || event.flag("on_time"))]
        }
    }

    public static let all: [Indicator] = [
        count(
            "enterprise.visits", "走访企业 Visits to enterprises", "visits recorded, in the year of the visit", "enterprise.visit.recorded",
            entity: "visit_id", day: "visited_on"),
        count(
            "enterprise.consultations", "法律咨询、对策建议 Consultations and suggestions given",
            "legal consultations and countermeasure suggestions given, in the year given", "enterprise.consultation.given",
            entity: "consultation_id", day: "given_on"),
        count(
            "enterprise.suggestions-collected", "意见建议收集 Suggestions collected", "suggestions collected on opinion cards, in the year collected",
            "enterprise.opinion-card.collected", entity: "card_id", day: "collected_on"),
        Indicator(
            "enterprise.brochures", program: "enterprise", title: "宣传手册 Brochures distributed",
            explanation: "copies of brochures distributed, in the year distributed", kind: .count, reads: ["enterprise.outreach.recorded"]
        ) { event in
            guard event.text("kind") == "brochure", let id = event.text("outreach_id"), let quantity = event.data["quantity"]?.intValue else { return [] }
            let year = Fact.day(event.text("held_on"))
            return (1...max(1, min(quantity, 10_000))).map { Fact(period: year, entity: "\(id)#\($0)", counted: true) }
        },
        count(
            "enterprise.symposia", "座谈会 Symposia held", "symposia held, in the year held", "enterprise.outreach.recorded",
            entity: "outreach_id", day: "held_on", when: "symposium"),
        cards(
            "enterprise.card-answer-rate", "意见逐一解答率 Suggestions answered", "opinion cards collected in the period that were answered",
            onTime: false),
        cards(
            "enterprise.card-on-time-rate", "意见按期解答率 Suggestions answered on time",
            "opinion cards collected in the period that were answered by their due day", onTime: true),
        Indicator(
            "enterprise.health-checks-on-schedule", program: "enterprise", title: "法治体检按期率 Legal health checks on schedule",
            explanation: "health checks that fell due in the period (performed, or overdue) that were performed by their due day", kind: .rate,
            reads: ["enterprise.health-check.performed", "enterprise.health-check.overdue"]
        ) { event in
            guard let enterprise = event.text("enterprise_id"), let due = event.text("due_on") else { return [] }
            let fact = Fact(period: Fact.day(due), entity: "\(enterprise)@\(due)", counted: true, met: event.flag("on_time"))
            return [fact]
        },
    ]
}
