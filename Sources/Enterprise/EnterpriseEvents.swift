import BanshiKit

/// Every event the enterprise service publishes. An enterprise is named by its unified social credit
/// code, which is public register data; a contact's name or phone never leaves the service.
public enum EnterpriseEvents {
    static let enterpriseID = FieldSpec("enterprise_id", .string, "the enterprise's unified social credit code")
    static let programID = FieldSpec("program_id", .string, "the compliance program's id")

    public static let catalog = EventCatalog(service: "enterprise", timeline: "enterprise_id", events: [
        EventSpec(
            "enterprise.enterprise.registered", "An enterprise connected with a case was registered for outreach.",
            subject: "enterprise/{enterprise_id}",
            fields: [
                enterpriseID, FieldSpec("industry", .string, "its industry"), FieldSpec("size", .string, choices: EnterpriseSize.names, "its size"),
                FieldSpec("next_check_due", .date, "when its first legal health check falls due"),
            ]),
        EventSpec(
            "enterprise.case.linked", "A case handled since 2016 was linked to an enterprise.", subject: "enterprise/{enterprise_id}",
            fields: [enterpriseID, FieldSpec("role", .string, choices: CaseRole.names, "what the enterprise was in the case")]),
        EventSpec(
            "enterprise.visit.recorded", "Prosecutors visited an enterprise and heard its pain points and needs.",
            subject: "enterprise/{enterprise_id}",
            fields: [
                FieldSpec("visit_id", .string, "the visit's id"), enterpriseID, FieldSpec("visited_on", .date, "the day of the visit"),
            ]),
        EventSpec(
            "enterprise.consultation.given", "A legal consultation or a countermeasure suggestion was given.",
            subject: "enterprise/{enterprise_id}",
            fields: [
                FieldSpec("consultation_id", .string, "its id"), enterpriseID,
                FieldSpec("kind", .string, choices: ConsultationKind.names, "what was given"), FieldSpec("given_on", .date, "the day"),
            ]),
        EventSpec(
            "enterprise.opinion-card.collected", "A suggestion was collected on an opinion card; it must be answered by its due day.",
            subject: "card/{card_id}",
            fields: [
                FieldSpec("card_id", .string, "the card's id"), enterpriseID, FieldSpec("category", .string, "one of the five categories"),
                FieldSpec("collected_on", .date, "the day it was collected"), FieldSpec("answer_due", .date, "the last day to answer it"),
            ]),
        EventSpec(
            "enterprise.opinion-card.answered", "An opinion card was answered (逐一解答).", subject: "card/{card_id}",
            fields: [
                FieldSpec("card_id", .string, "the card's id"), enterpriseID, FieldSpec("answered_on", .date, "the day it was answered"),
                FieldSpec("on_time", .boolean, "whether it was answered by its due day"),
            ]),
        EventSpec(
            "enterprise.opinion-card.overdue", "An opinion card passed its due day unanswered.", subject: "card/{card_id}",
            fields: [FieldSpec("card_id", .string, "the card's id"), enterpriseID, FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "enterprise.compliance.proposed", "A criminal-compliance program was proposed for an enterprise in a case.",
            subject: "compliance/{program_id}", fields: [programID, enterpriseID]),
        EventSpec(
            "enterprise.compliance.accepted", "The enterprise accepted the compliance program.", subject: "compliance/{program_id}",
            fields: [programID, enterpriseID]),
        EventSpec(
            "enterprise.compliance.supervised", "Third-party supervision of the program began, for a set period.",
            subject: "compliance/{program_id}",
            fields: [
                programID, enterpriseID, FieldSpec("supervision_starts", .date, "first day"), FieldSpec("supervision_ends", .date, "last day"),
            ]),
        EventSpec(
            "enterprise.compliance.supervision-ended", "A program's supervision period ended; it awaits its assessment.",
            subject: "compliance/{program_id}",
            fields: [programID, enterpriseID, FieldSpec("supervision_ends", .date, "the last day of supervision")]),
        EventSpec(
            "enterprise.compliance.assessed", "The program was assessed: passed or failed.", subject: "compliance/{program_id}",
            fields: [programID, enterpriseID, FieldSpec("passed", .boolean, "whether it passed")]),
        EventSpec(
            "enterprise.compliance.decided", "The leniency decision that follows the assessment.", subject: "compliance/{program_id}",
            fields: [programID, enterpriseID, FieldSpec("decision", .string, choices: ComplianceDecision.names, "what was decided")]),
        EventSpec(
            "enterprise.health-check.performed", "A legal health check (法治体检) was performed.", subject: "enterprise/{enterprise_id}",
            fields: [
                FieldSpec("check_id", .string, "the check's id"), enterpriseID, FieldSpec("performed_on", .date, "the day"),
                FieldSpec("due_on", .date, "the day it was due"), FieldSpec("on_time", .boolean, "whether it was performed by its due day"),
                FieldSpec("next_check_due", .date, "when the next one falls due"),
            ]),
        EventSpec(
            "enterprise.health-check.overdue", "An enterprise's legal health check passed its due day.", subject: "enterprise/{enterprise_id}",
            fields: [enterpriseID, FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "enterprise.risk-notice.issued", "A legal risk notice (法律风险提示函) was issued to an enterprise.",
            subject: "enterprise/{enterprise_id}", fields: [FieldSpec("notice_id", .string, "the notice's id"), enterpriseID]),
        EventSpec(
            "enterprise.risk-notice.responded", "The enterprise responded to a risk notice.", subject: "enterprise/{enterprise_id}",
            fields: [FieldSpec("notice_id", .string, "the notice's id"), enterpriseID]),
        EventSpec(
            "enterprise.risk.flagged",
            "Another service raised a compliance risk against the enterprise; a health check and a risk notice follow.",
            subject: "enterprise/{enterprise_id}",
            fields: [
                FieldSpec("flag_id", .string, "the flag's id"), enterpriseID, FieldSpec("source_service", .string, "the service that raised it"),
                FieldSpec("source_ref", .string, "its reference there"), FieldSpec("notice_id", .string, "the risk notice proposed"),
                FieldSpec("next_check_due", .date, "when the health check now falls due"),
            ]),
        EventSpec(
            "enterprise.outreach.recorded", "Outreach output was recorded: a white paper, typical case, brochures or a symposium.",
            subject: "outreach/{outreach_id}",
            fields: [
                FieldSpec("outreach_id", .string, "its id"), FieldSpec("kind", .string, choices: OutreachKind.names, "what it was"),
                FieldSpec("held_on", .date, "the day"), FieldSpec("quantity", .integer, "how many (copies distributed; 1 for a symposium)"),
            ]),
    ])
}
