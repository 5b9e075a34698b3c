import BanshiKit

/// Every event the children service publishes. Each carries opaque ids and codes only: no name, no
/// identity number, no address, no school name (the wire contract, docs/wire-contract.md, and `EventSpec.mismatch` rejects any
/// field not listed here).
public enum ChildrenEvents {
    static let childID = FieldSpec("child_id", .string, "the child's opaque id")
    static let caseID = FieldSpec("case_id", .string, "the case's opaque id")

    public static let catalog = EventCatalog(service: "children", timeline: "child_id", events: [
        EventSpec(
            "children.child.registered", "A child was registered.", subject: "child/{child_id}",
            fields: [childID, FieldSpec("migrant_status", .string, choices: MigrantStatus.names, "the child's relation to migration")]),
        EventSpec(
            "children.offender-case.registered", "A juvenile offender case was registered.", subject: "case/{case_id}",
            fields: [caseID, childID, FieldSpec("crime_chapter", .integer, "the chapter of the Criminal Law's special part")]),
        EventSpec(
            "children.conditional-non-prosecution.decided",
            "Conditional non-prosecution was decided and probation began (CPL art. 282).", subject: "case/{case_id}",
            fields: [
                caseID, childID, FieldSpec("decided_on", .date, "the day of the decision"),
                FieldSpec("probation_months", .integer, "6 to 12"), FieldSpec("probation_ends", .date, "the last day of probation"),
            ]),
        EventSpec(
            "children.probation.revoked", "Probation was revoked and the case goes to prosecution (CPL art. 284).",
            subject: "case/{case_id}",
            fields: [caseID, childID, FieldSpec("reason", .string, choices: ConditionalNonProsecution.RevocationReason.names, "why")]),
        EventSpec(
            "children.probation.due", "A probation period ended and awaits the final decision.", subject: "case/{case_id}",
            fields: [caseID, childID, FieldSpec("probation_ends", .date, "the last day of probation")]),
        EventSpec(
            "children.non-prosecution.decided", "Probation was completed and non-prosecution decided.", subject: "case/{case_id}",
            fields: [caseID, childID, FieldSpec("decided_on", .date, "the day of the decision")]),
        EventSpec(
            "children.help-education.planned", "A help-education plan was made for a juvenile offender.", subject: "case/{case_id}",
            fields: [
                FieldSpec("plan_id", .string, "the plan's id"), caseID, childID,
                FieldSpec("cross_region", .boolean, "whether a partner procuratorate elsewhere carries it out"),
                FieldSpec("starts_on", .date, "first day"), FieldSpec("ends_on", .date, "last day"),
            ]),
        EventSpec(
            "children.victim-case.registered", "A child victim case was registered.", subject: "case/{case_id}",
            fields: [
                caseID, childID, FieldSpec("offence_type", .string, choices: VictimOffence.names, "the offence"),
                FieldSpec("intervention_required", .boolean, "whether early intervention is required"),
                FieldSpec("intervention_due_at", .time, required: false, "when early intervention falls due"),
                FieldSpec("registered_on", .date, "the day the case was registered (China Standard Time)"),
            ]),
        EventSpec(
            "children.intervention.recorded", "Early intervention in a victim case was recorded.", subject: "case/{case_id}",
            fields: [caseID, childID, FieldSpec("on_time", .boolean, "whether it came before it fell due")]),
        EventSpec(
            "children.intervention.overdue", "A sexual-assault case passed its early-intervention deadline without one.",
            subject: "case/{case_id}",
            fields: [caseID, childID, FieldSpec("due_at", .time, "when it fell due")]),
        EventSpec(
            "children.interview-centre.registered", "A one-stop interview centre was registered.", subject: "centre/{centre_id}",
            fields: [
                FieldSpec("centre_id", .string, "the centre's id"), FieldSpec("district", .string, "where it is"),
                FieldSpec("opened_on", .date, "when it opened"),
            ]),
        EventSpec(
            "children.interview.held", "A child victim was interviewed in a one-stop centre.", subject: "case/{case_id}",
            fields: [FieldSpec("interview_id", .string, "the interview's id"), caseID, childID, FieldSpec("centre_id", .string, "where")]),
        EventSpec(
            "children.legal-aid.requested", "Legal aid was requested for a child victim; a duty lawyer is to be assigned.",
            subject: "case/{case_id}",
            fields: [FieldSpec("request_id", .string, "the request's id"), caseID, childID, FieldSpec("requested_on", .date, "the day of the request")]),
        EventSpec(
            "children.legal-aid.assigned", "A duty lawyer was assigned to a child victim's legal-aid request.",
            subject: "case/{case_id}",
            fields: [
                FieldSpec("request_id", .string, "the request's id"), caseID, childID,
                FieldSpec("lawyer_id", .string, "the lawyer service's id of the lawyer"),
            ]),
        EventSpec(
            "children.abuse.referred",
            "A child victim of abuse, sexual assault, neglect or harm by a guardian was referred: the trigger for ex-officio judicial aid.",
            subject: "case/{case_id}",
            fields: [
                FieldSpec("referral_id", .string, "the referral's id"), caseID, childID,
                FieldSpec("offence_type", .string, choices: VictimOffence.names, "the offence"),
            ]),
        EventSpec(
            "children.aid.recorded", "A judicial-aid decision for a child victim was recorded on the case.", subject: "case/{case_id}",
            fields: [
                caseID, childID, FieldSpec("aid_id", .string, "the petition service's aid id"),
                FieldSpec("decision", .string, choices: AidDecision.names, "approved or rejected"),
                FieldSpec("amount", .number, required: false, "the approved amount in yuan"),
            ]),
        EventSpec(
            "children.guardianship.issued", "A guardianship intervention measure was issued.", subject: "measure/{measure_id}",
            fields: [
                FieldSpec("measure_id", .string, "the measure's id"), childID,
                FieldSpec("kind", .string, choices: GuardianshipMeasure.names, "the measure"),
                FieldSpec("follow_up_due", .time, required: false, "when the follow-up falls due"),
            ]),
        EventSpec(
            "children.guardianship.concluded", "A guardianship measure was concluded.", subject: "measure/{measure_id}",
            fields: [
                FieldSpec("measure_id", .string, "the measure's id"), childID,
                FieldSpec("kind", .string, choices: GuardianshipMeasure.names, "the measure"),
                FieldSpec("outcome", .string, choices: MeasureOutcome.names, "how it ended"),
            ]),
        EventSpec(
            "children.guardianship.overdue", "A supervise-guardianship order passed its follow-up deadline.",
            subject: "measure/{measure_id}",
            fields: [FieldSpec("measure_id", .string, "the measure's id"), childID, FieldSpec("due_at", .time, "when it fell due")]),
        EventSpec(
            "children.inspection.recorded", "A venue inspection (scenario prevention) was recorded.",
            subject: "inspection/{inspection_id}",
            fields: [
                FieldSpec("inspection_id", .string, "the inspection's id"),
                FieldSpec("venue_type", .string, choices: VenueType.names, "the kind of venue"),
                FieldSpec("origin_service", .string, required: false, "the service that opened it, when not staff"),
                FieldSpec("origin_ref", .string, required: false, "the originating service's reference"),
            ]),
        EventSpec(
            "children.finding.recorded", "An inspection found a problem.", subject: "finding/{finding_id}",
            fields: [
                FieldSpec("finding_id", .string, "the finding's id"), FieldSpec("inspection_id", .string, "its inspection"),
                FieldSpec("kind", .string, choices: FindingKind.names, "what was found"),
            ]),
        EventSpec(
            "children.remedy.issued", "A remedy was issued for a finding.", subject: "remedy/{remedy_id}",
            fields: [
                FieldSpec("remedy_id", .string, "the remedy's id"), FieldSpec("finding_id", .string, "its finding"),
                FieldSpec("kind", .string, choices: RemedyKind.names, "the remedy"),
                FieldSpec("follow_up_due", .time, "when its follow-up falls due"),
            ]),
        EventSpec(
            "children.remedy.followed-up", "A remedy was followed up.", subject: "remedy/{remedy_id}",
            fields: [
                FieldSpec("remedy_id", .string, "the remedy's id"), FieldSpec("result", .string, choices: RemedyResult.names, "the result"),
                FieldSpec("on_time", .boolean, "whether before it fell due"),
            ]),
        EventSpec(
            "children.remedy.overdue", "A remedy passed its follow-up deadline.", subject: "remedy/{remedy_id}",
            fields: [FieldSpec("remedy_id", .string, "the remedy's id"), FieldSpec("due_at", .time, "when it fell due")]),
        EventSpec(
            "children.mandatory-report.received", "A mandatory report was received and opened a victim case.",
            subject: "case/{case_id}",
            fields: [
                FieldSpec("report_id", .string, "the report's id"), caseID, childID,
                FieldSpec("sector", .string, choices: ReportingSector.names, "the reporter's sector"),
                FieldSpec("received_at", .time, required: false, "when the report came in (the clocks start here)"),
                FieldSpec("pass_on_due_at", .time, required: false, "when it must have been passed on to the police"),
            ]),
        EventSpec(
            "children.mandatory-report.passed-on", "A mandatory report was passed on to the police.", subject: "case/{case_id}",
            fields: [
                FieldSpec("report_id", .string, "the report's id"), caseID,
                FieldSpec("passed_on_at", .time, "when it was passed on"),
                FieldSpec("on_time", .boolean, "whether within the configured hours of its receipt"),
            ]),
        EventSpec(
            "children.mandatory-report.overdue", "A mandatory report was not passed on to the police within the configured hours.",
            subject: "report/{report_id}",
            fields: [FieldSpec("report_id", .string, "the report's id"), caseID, FieldSpec("due_at", .time, "when it fell due")]),
        EventSpec(
            "children.employment.inquired", "An employer's pre-employment inquiry was answered.", subject: "inquiry/{inquiry_id}",
            fields: [FieldSpec("inquiry_id", .string, "the inquiry's id"), FieldSpec("hit", .boolean, "whether a barring record was found")]),
        EventSpec(
            "children.employment.barred",
            "An inquiry found a barring record: the employer must not hire the candidate.", subject: "inquiry/{inquiry_id}",
            fields: [
                FieldSpec("inquiry_id", .string, "the inquiry's id"),
                FieldSpec("records", .strings, "the kinds of record found"),
            ]),
        EventSpec(
            "children.school.registered", "A school was registered.", subject: "school/{school_id}",
            fields: [
                FieldSpec("school_id", .string, "the school's opaque id"), FieldSpec("district", .string, "where it is"),
                FieldSpec("for_migrant_children", .boolean, "whether it is a school for migrant workers' children"),
            ]),
        EventSpec(
            "children.legal-education.held", "A legal-education session was held at a school.", subject: "school/{school_id}",
            fields: [
                FieldSpec("session_id", .string, "the session's id"), FieldSpec("school_id", .string, "the school's opaque id"),
                FieldSpec("held_on", .date, "the day"), FieldSpec("attendees", .integer, "how many attended"),
            ]),
    ])
}
