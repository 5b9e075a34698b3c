import BanshiKit

/// What each petition table shows on the wire: the columns staff read, never the internal flags.
enum PetitionViews {
    static let procuratorate = RecordView("procuratorate", [.init("id", title: "PROCURATORATE"), .init("name"), .init("level")])
    static let petition = RecordView("petition", [
        .init("id"), .init("petitioner_name"), .init("contact"), .init("category"), .init("summary"), .init("procuratorate_id"),
        .init("received_at"), .init("received_on"), .init("recorded_at"), .init("status"), .init("procedural_due"), .init("procedural_replied_at"),
        .init("result_due"), .init("result_replied_at"), .init("follow_up_due"), .init("concluded_at"),
    ])
    static let petitionRow = RecordView("petition", [
        .init("id", title: "PETITION"), .init("category"), .init("procuratorate_id", title: "PROCURATORATE"), .init("status"),
        .init("received_on", title: "RECEIVED"), .init("procedural_due", title: "REPLY DUE"), .init("result_due", title: "RESULT DUE"),
        .init("follow_up_due", title: "FOLLOW-UP DUE"),
    ])
    static let petitionAction = RecordView("petition_action", [.init("kind"), .init("content"), .init("at"), .init("on_time", .boolean)])
    static let aidCase = RecordView("aid_case", [
        .init("id"), .init("origin"), .init("source_service"), .init("source_ref"), .init("beneficiary_name"), .init("beneficiary_ref"),
        .init("category"), .init("procuratorate_id"), .init("petition_id"), .init("situation"), .init("correlation_id"),
        .init("opened_at"), .init("status"), .init("amount", .number), .init("cap", .number), .init("wage_year", .integer),
        .init("exceeds_cap", .boolean), .init("exceed_reason"), .init("decision_reason"), .init("decided_at"), .init("paid_at"),
    ])
    static let aidCaseRow = RecordView("aid_case", [
        .init("id", title: "AID"), .init("origin"), .init("category"), .init("procuratorate_id", title: "PROCURATORATE"), .init("status"),
        .init("amount", .number), .init("source_service", title: "SOURCE"), .init("source_ref"), .init("opened_at", title: "OPENED"),
        .init("decided_at", title: "DECIDED"),
    ])
    static let aidReferral = RecordView("aid_referral", [
        .init("id", title: "REFERRAL"), .init("agency"), .init("need"), .init("status"), .init("referred_at", title: "REFERRED"),
        .init("updated_at", title: "UPDATED"),
    ])
    static let inquiry = RecordView("inquiry", [
        .init("id"), .init("channel"), .init("question"), .init("contact"), .init("received_at"), .init("status"), .init("suggested"),
        .init("answer"), .init("answered_by"), .init("answered_at"), .init("closed_at"),
    ])
    static let inquiryRow = RecordView("inquiry", [
        .init("id", title: "INQUIRY"), .init("channel"), .init("status"), .init("received_at", title: "RECEIVED"),
        .init("answered_at", title: "ANSWERED"), .init("question", expression: "substr(question, 1, 60)"),
    ])
    static let guideline = RecordView("guideline", [
        .init("id", title: "GUIDELINE"), .init("category"), .init("title"), .init("current_version", .integer, title: "V"),
        .init("updated_at", title: "UPDATED"),
    ])
    static let guidelineVersion = RecordView("guideline_version", [
        .init("guideline_id"), .init("version", .integer), .init("title"), .init("category"), .init("keywords"), .init("body"),
        .init("source_file"), .init("imported_at"),
    ])
}
