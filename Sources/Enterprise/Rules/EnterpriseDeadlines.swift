import BanshiKit

/// The enterprise program's deadlines, as data for the kit's `deadlines.scan`. Each is due on a day
/// and missed from the next; each is announced once (a health check once per due day, since the next
/// one falls due again).
enum EnterpriseDeadlines {
    static let all: [Deadline] = [
        // 逐一解答: an opinion card not answered by its due day.
        Deadline(
            "opinion_card", table: "opinion_card", due: "answer_due", clock: .day, open: "answered_on IS NULL",
            memory: .flag("overdue_emitted"), event: "enterprise.opinion-card.overdue", subject: "card/",
            data: [("card_id", "id"), ("enterprise_id", "enterprise_id"), ("due_on", "answer_due")]),
        // The third-party supervision period has ended: the program awaits its assessment.
        Deadline(
            "supervision", table: "compliance_program", due: "supervision_ends", clock: .day, open: "status = 'supervised'",
            memory: .flag("supervision_due_emitted"), event: "enterprise.compliance.supervision-ended", subject: "compliance/",
            data: [("program_id", "id"), ("enterprise_id", "enterprise_id"), ("supervision_ends", "supervision_ends")]),
        // 定期法治体检: the enterprise's next legal health check was missed.
        Deadline(
            "health_check", table: "enterprise", due: "next_check_due", clock: .day, open: "1",
            memory: .dueValue("check_overdue_emitted_for"), event: "enterprise.health-check.overdue", subject: "enterprise/",
            data: [("enterprise_id", "id"), ("due_on", "next_check_due")]),
    ]
}
