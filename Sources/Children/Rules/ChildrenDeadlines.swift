import BanshiKit

/// The children program's deadlines, as data for the kit's `deadlines.scan`: each `*.overdue` (and
/// `children.probation.due`) event is emitted once.
enum ChildrenDeadlines {
    static let all: [Deadline] = [
        Deadline(
            "intervention", table: "victim_case", due: "intervention_due_at", clock: .time, open: "intervened_at IS NULL",
            memory: .flag("intervention_overdue_emitted"), event: "children.intervention.overdue", subject: "case/",
            data: [("case_id", "id"), ("child_id", "child_id"), ("due_at", "intervention_due_at")]),
        Deadline(
            "guardianship", table: "guardianship_measure", due: "follow_up_due", clock: .time, open: "outcome IS NULL",
            memory: .flag("overdue_emitted"), event: "children.guardianship.overdue", subject: "measure/",
            data: [("measure_id", "id"), ("child_id", "child_id"), ("due_at", "follow_up_due")]),
        Deadline(
            "remedy", table: "remedy", due: "follow_up_due", clock: .time, open: "result IS NULL",
            memory: .flag("overdue_emitted"), event: "children.remedy.overdue", subject: "remedy/",
            data: [("remedy_id", "id"), ("due_at", "follow_up_due")]),
        Deadline(
            "mandatory-report", table: "mandatory_report", due: "pass_on_due_at", clock: .time, open: "passed_on_at IS NULL",
            memory: .flag("pass_on_overdue_emitted"), event: "children.mandatory-report.overdue", subject: "report/",
            data: [("report_id", "id"), ("case_id", "case_id"), ("due_at", "pass_on_due_at")]),
        Deadline(
            "probation", table: "offender_case", due: "probation_ends", clock: .day, open: "status = 'on-probation'",
            memory: .flag("probation_due_emitted"), event: "children.probation.due", subject: "case/",
            data: [("case_id", "id"), ("child_id", "child_id"), ("probation_ends", "probation_ends")]),
    ]
}
