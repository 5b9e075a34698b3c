import BanshiKit

/// Every event the petition service publishes: ids and codes, never a petitioner's or a
/// beneficiary's personal data.
public enum PetitionEvents {
    static let petitionID = FieldSpec("petition_id", .string, "the petition's id")
    static let aidID = FieldSpec("aid_id", .string, "the aid case's id")
    static let procuratorate = FieldSpec("procuratorate_id", .string, "the procuratorate handling it")
    static let sourceService = FieldSpec("source_service", .string, required: false, "for ex-officio aid from another service: that service")
    static let sourceRef = FieldSpec("source_ref", .string, required: false, "for ex-officio aid from another service: its case reference")
    static let category = FieldSpec("category", .string, choices: AidCategory.names, "the aid target group")
    static let origin = FieldSpec("origin", .string, choices: AidOrigin.names, "on application or ex officio")

    public static let catalog = EventCatalog(service: "petition", events: [
        EventSpec(
            "petition.procuratorate.registered", "A procuratorate joined the register.", subject: "procuratorate/{procuratorate_id}",
            fields: [
                FieldSpec("procuratorate_id", .string, "its id"),
                FieldSpec("level", .string, choices: ProcuratorateLevel.names, "city or district"),
            ]),
        EventSpec(
            "petition.guideline.published", "A guideline, or a new version of one, was published to the knowledge base.",
            subject: "guideline/{guideline_id}",
            fields: [
                FieldSpec("guideline_id", .string, "the guideline"), FieldSpec("version", .integer, "its new version, from 1"),
                FieldSpec("category", .string, choices: PetitionCategory.names, "the 12309 category"),
            ]),
        EventSpec(
            "petition.inquiry.received", "An inquiry came in and matching guidelines were suggested.", subject: "inquiry/{inquiry_id}",
            fields: [
                FieldSpec("inquiry_id", .string, "the inquiry"), FieldSpec("channel", .string, choices: InquiryChannel.names, "how it came"),
                FieldSpec("suggested", .strings, "the guideline ids suggested, best first"),
            ]),
        EventSpec(
            "petition.inquiry.answered", "Staff answered an inquiry.", subject: "inquiry/{inquiry_id}",
            fields: [FieldSpec("inquiry_id", .string, "the inquiry")]),
        EventSpec(
            "petition.inquiry.closed", "An inquiry was closed.", subject: "inquiry/{inquiry_id}",
            fields: [FieldSpec("inquiry_id", .string, "the inquiry"), FieldSpec("answered", .boolean, "whether it had been answered")]),
        EventSpec(
            "petition.petition.received", "A petition was received; its deadlines run from the day it came in.",
            subject: "petition/{petition_id}",
            fields: [
                petitionID, FieldSpec("category", .string, choices: PetitionCategory.names, "the 12309 category"), procuratorate,
                FieldSpec("received_on", .date, required: false, "the day it came in (a letter's arrival; China Standard Time)"),
                FieldSpec("procedural_due", .date, "last day of the procedural reply (7 days)"),
                FieldSpec("result_due", .date, "last day of the process or result (3 months)"),
            ]),
        EventSpec(
            "petition.petition.replied", "A petition got a procedural, progress or result reply.", subject: "petition/{petition_id}",
            fields: [
                petitionID, FieldSpec("kind", .string, choices: PetitionReply.names, "which reply"),
                FieldSpec("on_time", .boolean, "whether it came by its deadline"),
                FieldSpec("replied_on", .date, "the day of the reply"),
                FieldSpec("follow_up_due", .date, required: false, "the next monthly follow-up, while not concluded"),
            ]),
        EventSpec(
            "petition.petition.followed-up", "A monthly follow-up was made on a petition.", subject: "petition/{petition_id}",
            fields: [petitionID, FieldSpec("on_time", .boolean, "whether by its deadline"), FieldSpec("follow_up_due", .date, "the next one")]),
        EventSpec(
            "petition.procedural-reply.overdue", "A petition's 7 days passed without a procedural reply.", subject: "petition/{petition_id}",
            fields: [petitionID, procuratorate, FieldSpec("due_on", .date, "the missed last day")]),
        EventSpec(
            "petition.result.overdue", "A petition's 3 months passed without a process or result reply.", subject: "petition/{petition_id}",
            fields: [petitionID, procuratorate, FieldSpec("due_on", .date, "the missed last day")]),
        EventSpec(
            "petition.follow-up.overdue", "A petition's monthly follow-up was missed.", subject: "petition/{petition_id}",
            fields: [petitionID, procuratorate, FieldSpec("due_on", .date, "the missed last day")]),
        EventSpec(
            "petition.aid.opened", "A judicial-aid case was opened, on application or ex officio.", subject: "aid/{aid_id}",
            fields: [aidID, origin, category, procuratorate, sourceService, sourceRef]),
        EventSpec(
            "petition.aid.decided", "Judicial aid was approved with an amount, or rejected; carries the source reference to route it back.",
            subject: "aid/{aid_id}",
            fields: [
                aidID, FieldSpec("decision", .string, choices: AidDecision.names, "approved or rejected"),
                FieldSpec("decided_on", .date, "the day of the decision (China Standard Time): the year it counts for"),
                FieldSpec("amount", .number, required: false, "the approved amount in yuan"),
                FieldSpec("exceeds_cap", .boolean, "whether the amount exceeds 36 months' wage (minors only, with a reason)"),
                origin, category, procuratorate, sourceService, sourceRef,
            ]),
        EventSpec(
            "petition.aid.paid", "Approved judicial aid was paid.", subject: "aid/{aid_id}",
            fields: [aidID, FieldSpec("amount", .number, "the amount paid in yuan"), procuratorate, sourceService, sourceRef]),
        EventSpec(
            "petition.referral.made", "A need beyond the case was referred to a social-assistance agency.", subject: "aid/{aid_id}",
            fields: [
                FieldSpec("referral_id", .string, "the referral"), aidID,
                FieldSpec("agency", .string, choices: AssistanceAgency.names, "the agency"),
            ]),
        EventSpec(
            "petition.referral.updated", "A referral's status changed.", subject: "aid/{aid_id}",
            fields: [
                FieldSpec("referral_id", .string, "the referral"), aidID,
                FieldSpec("agency", .string, choices: AssistanceAgency.names, "the agency"),
                FieldSpec("status", .string, choices: ReferralStatus.names, "its new status"),
            ]),
    ])
}
