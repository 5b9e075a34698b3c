import BanshiKit

/// The lawyer program's indicators, beside its event catalog. The duty-lawyer assignments for child
/// victims are counted where the requests are, in the children program's indicators.
public enum LawyerIndicators {
    /// A rate of things due: counted when done or overdue, in the year they fell due; met when done on time.
    static func onTime(_ id: String, _ title: String, _ explanation: String, done: String, overdue: String, key: String) -> Indicator {
        Indicator(id, program: "lawyer", title: title, explanation: explanation, kind: .rate, reads: [done, overdue]) { event in
            guard let entity = event.text(key) else { return [] }
            return [Fact(period: Fact.day(event.text("due_on")), entity: entity, counted: true, met: event.type == done && event.flag("on_time"))]
        }
    }

    public static let all: [Indicator] = [
        onTime(
            "lawyer.file-review-on-time", "互联网阅卷3个工作日内安排率 File reviews arranged within 3 working days",
            "file-review requests that fell due in the period (arranged, or overdue) arranged by their due working day",
            done: "lawyer.file-review.arranged", overdue: "lawyer.file-review.overdue", key: "review_id"),
        onTime(
            "lawyer.complaints-on-time", "执业权利控告按期办结率 Practice-rights complaints handled in time",
            "complaints that fell due in the period (handled, or overdue) handled by their due day",
            done: "lawyer.complaint.handled", overdue: "lawyer.complaint.overdue", key: "complaint_id"),
        Indicator(
            "lawyer.tasks-overdue-without-follow-up", program: "lawyer", title: "盯住不放 Overdue tasks without a follow-up",
            explanation: "tasks escalated past their deadline with no follow-up noted since the deadline (the target is a ceiling)",
            kind: .count, ceiling: true, reads: ["lawyer.task.escalated"]
        ) { event in
            guard let task = event.text("task_id"), let due = event.text("due_on") else { return [] }
            let followedUp = event.text("last_follow_up").map { $0 >= due } ?? false
            return followedUp ? [] : [Fact(period: Fact.day(due), entity: task, counted: true)]
        },
    ]
}
