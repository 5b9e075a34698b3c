import BanshiKit

/// The public-interest program's indicators, beside its event catalog.
public enum PublicInterestIndicators {
    public static let all: [Indicator] = [
        Indicator(
            "public-interest.water-meeting-target", program: "public-interest", title: "水体达标 Water samples meeting their target class",
            explanation: "water samples taken in the period whose class meets their water body's target class", kind: .rate,
            reads: ["public-interest.sample.passed", "public-interest.sample.exceeded"]
        ) { event in
            guard event.text("kind") == "water", let id = event.text("sample_id") else { return [] }
            return [Fact(period: Fact.day(event.text("sampled_on")), entity: id, counted: true, met: event.type == "public-interest.sample.passed")]
        },
        Indicator(
            "public-interest.failed-food-with-lead", program: "public-interest", title: "不合格食品线索 Failed food samples followed by a lead",
            explanation: "food samples that failed in the period for which a lead was opened", kind: .rate,
            reads: ["public-interest.sample.exceeded", "public-interest.lead.opened"]
        ) { event in
            guard event.text("kind") == "food", let sample = event.text("sample_id") else { return [] }
            if event.type == "public-interest.sample.exceeded" { return [Fact(period: Fact.day(event.text("sampled_on")), entity: sample, counted: true)] }
            return [Fact(period: "*", entity: sample, met: true)]
        },
        Indicator(
            "public-interest.suggestions-answered-in-time", program: "public-interest", title: "诉前检察建议按期回复 Suggestions answered in time",
            explanation: "procuratorial suggestions that fell due in the period (answered, or overdue) answered by their due day", kind: .rate,
            reads: ["public-interest.suggestion.answered", "public-interest.suggestion.overdue"]
        ) { event in
            guard let id = event.text("case_id") else { return [] }
            return [Fact(period: Fact.day(event.text("due_on")), entity: id, counted: true, met: event.flag("on_time"))]
        },
        Indicator(
            "public-interest.cases-litigated", program: "public-interest", title: "提起公益诉讼 Public-interest suits brought",
            explanation: "administrative and civil public-interest suits brought in the period", kind: .count,
            reads: ["public-interest.case.litigated"]
        ) { event in
            event.text("case_id").map { [Fact(period: event.day("litigated_on"), entity: $0, counted: true)] } ?? []
        },
    ]
}
