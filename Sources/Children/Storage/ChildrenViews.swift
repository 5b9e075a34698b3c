import BanshiKit

/// What each children table shows on the wire: the columns admins read, never the internal flags.
enum ChildrenViews {
    static let child = RecordView("child", [
        .init("id"), .init("name"), .init("birth_date", title: "BORN"), .init("id_number"), .init("household_province", title: "PROVINCE"),
        .init("migrant_status", title: "STATUS"), .init("school_id", title: "SCHOOL"), .init("address"), .init("registered_at", title: "REGISTERED"),
    ])
    /// A child in a listing: no identity number, no address.
    static let childRow = RecordView("child", [
        .init("id"), .init("name"), .init("birth_date", title: "BORN"), .init("migrant_status", title: "STATUS"),
        .init("household_province", title: "PROVINCE"), .init("school_id", title: "SCHOOL"), .init("registered_at", title: "REGISTERED"),
    ])
    static let guardian = RecordView("guardian", [.init("name"), .init("relation"), .init("phone")])
    static let offenderCase = RecordView("offender_case", [
        .init("id", title: "CASE"), .init("child_id", title: "CHILD"), .init("offence_date"), .init("crime_chapter", .integer, title: "CH."),
        .init("charge"), .init("likely_sentence_months", .integer), .init("repentance", .boolean), .init("status"), .init("decided_on"),
        .init("probation_months", .integer), .init("probation_ends"), .init("revocation_reason"), .init("concluded_on"),
        .init("registered_at", title: "REGISTERED"),
    ])
    static let offenderCaseRow = RecordView("offender_case", [
        .init("id", title: "CASE"), .init("child_id", title: "CHILD"), .init("charge"), .init("crime_chapter", .integer, title: "CH."),
        .init("status"), .init("decided_on", title: "DECIDED"), .init("probation_ends"), .init("registered_at", title: "REGISTERED"),
    ])
    static let victimCase = RecordView("victim_case", [
        .init("id", title: "CASE"), .init("child_id", title: "CHILD"), .init("offence_type", title: "OFFENCE"),
        .init("registered_at", title: "REGISTERED"), .init("intervention_due_at", title: "INTERVENTION DUE"),
        .init("intervened_at", title: "INTERVENED"), .init("aid_id"), .init("aid_decision", title: "AID"), .init("aid_amount", .number),
        .init("aid_reason"),
    ])
    static let victimCaseRow = RecordView("victim_case", [
        .init("id", title: "CASE"), .init("child_id", title: "CHILD"), .init("offence_type", title: "OFFENCE"),
        .init("registered_at", title: "REGISTERED"), .init("intervention_due_at", title: "INTERVENTION DUE"),
        .init("intervened_at", title: "INTERVENED"), .init("aid_decision", title: "AID"),
    ])
    static let guardianshipMeasure = RecordView("guardianship_measure", [
        .init("id", title: "MEASURE"), .init("child_id", title: "CHILD"), .init("kind"), .init("note"), .init("issued_at", title: "ISSUED"),
        .init("follow_up_due", title: "FOLLOW-UP DUE"), .init("outcome"), .init("concluded_at", title: "CONCLUDED"),
    ])
    static let helpEducationPlan = RecordView("help_education_plan", [
        .init("id", title: "PLAN"), .init("measures"), .init("partner_procuratorate", title: "PARTNER"), .init("starts_on", title: "STARTS"),
        .init("ends_on", title: "ENDS"),
    ])
    static let interview = RecordView("interview", [.init("id", title: "INTERVIEW"), .init("centre_id", title: "CENTRE"), .init("held_at", title: "HELD")])
    static let legalAidRequest = RecordView("legal_aid_request", [
        .init("id", title: "REQUEST"), .init("requested_at", title: "REQUESTED"), .init("lawyer_id", title: "LAWYER"),
        .init("assigned_at", title: "ASSIGNED"),
    ])
    static let abuseReferral = RecordView("abuse_referral", [.init("id", title: "REFERRAL"), .init("situation"), .init("referred_at", title: "REFERRED")])
    static let mandatoryReport = RecordView("mandatory_report", [
        .init("id", title: "REPORT"), .init("reporter"), .init("sector"), .init("situation"), .init("received_at", title: "RECEIVED"),
        .init("recorded_at", title: "RECORDED"), .init("pass_on_due_at", title: "PASS ON BY"), .init("passed_on_at", title: "PASSED ON"),
        .init("police_station", title: "STATION"), .init("passed_on_by", title: "BY"),
    ])
}
