import BanshiKit

/// What each enterprise table shows on the wire: the columns staff read, never the internal flags.
enum EnterpriseViews {
    static let enterprise = RecordView("enterprise", [
        .init("id", title: "CREDIT CODE"), .init("name"), .init("registered_address", title: "ADDRESS"), .init("industry"), .init("size"),
        .init("contact_name", title: "CONTACT"), .init("contact_phone", title: "PHONE"), .init("check_interval_days", .integer),
        .init("next_check_due", title: "NEXT CHECK"), .init("registered_at", title: "REGISTERED"),
    ])
    /// An enterprise in a listing: no contact.
    static let enterpriseRow = RecordView("enterprise", [
        .init("id", title: "CREDIT CODE"), .init("name"), .init("industry"), .init("size"), .init("next_check_due", title: "NEXT CHECK"),
    ])
    static let enterpriseCase = RecordView("enterprise_case", [
        .init("case_number", title: "CASE"), .init("role"), .init("procuratorate"), .init("handled_on", title: "HANDLED"),
    ])
    static let visit = RecordView("visit", [
        .init("id", title: "VISIT"), .init("enterprise_id", title: "ENTERPRISE"), .init("visited_on", title: "ON"), .init("procuratorate"),
        .init("prosecutors"), .init("met"), .init("pain_points", title: "PAIN POINTS AND NEEDS"), .init("follow_up"),
    ])
    static let consultation = RecordView("consultation", [
        .init("id", title: "CONSULTATION"), .init("enterprise_id", title: "ENTERPRISE"), .init("kind"), .init("given_on", title: "ON"),
        .init("summary"),
    ])
    static let card = RecordView("opinion_card", [
        .init("id", title: "CARD"), .init("enterprise_id", title: "ENTERPRISE"), .init("category"), .init("suggestion"),
        .init("collected_on", title: "COLLECTED"), .init("answer_due", title: "DUE"), .init("answered_on", title: "ANSWERED"),
        .init("answered_by", title: "BY"), .init("answer"), .init("on_time", .boolean),
    ])
    static let compliance = RecordView("compliance_program", [
        .init("id", title: "PROGRAM"), .init("enterprise_id", title: "ENTERPRISE"), .init("case_number", title: "CASE"), .init("status"),
        .init("proposed_on", title: "PROPOSED"), .init("accepted_on", title: "ACCEPTED"), .init("supervisor"),
        .init("supervision_starts", title: "FROM"), .init("supervision_ends", title: "TO"), .init("assessed_on", title: "ASSESSED"),
        .init("assessment"), .init("decision"), .init("decided_on", title: "DECIDED"),
    ])
    static let healthCheck = RecordView("health_check", [
        .init("id", title: "CHECK"), .init("enterprise_id", title: "ENTERPRISE"), .init("performed_on", title: "PERFORMED"),
        .init("due_on", title: "DUE"), .init("findings"),
    ])
    static let riskNotice = RecordView("risk_notice", [
        .init("id", title: "NOTICE"), .init("enterprise_id", title: "ENTERPRISE"), .init("status"), .init("risk"), .init("measures"),
        .init("flag_id", title: "FLAG"), .init("issued_on", title: "ISSUED"), .init("response"), .init("responded_on", title: "RESPONDED"),
    ])
    static let riskFlag = RecordView("risk_flag", [
        .init("id", title: "FLAG"), .init("source_service", title: "FROM"), .init("source_ref", title: "REFERENCE"), .init("reason"),
        .init("raised_at", title: "RAISED"),
    ])
    static let outreach = RecordView("outreach", [
        .init("id", title: "OUTREACH"), .init("kind"), .init("title"), .init("held_on", title: "ON"), .init("quantity", .integer),
        .init("attendees", .integer),
    ])

    /// The listings, each a command.
    static func listings(_ settings: EnterpriseSettings) -> [CommandSpec] {
        let enterprise = Listing.Filter("enterprise_id", "only this enterprise's (credit code)")
        return [
            Listing(
                "enterprise.list", "enterprises, by name", member: "enterprises", view: enterpriseRow,
                filters: [.init("industry", "only this industry"), .init("size", choices: EnterpriseSize.names, "only this size")],
                order: "name, id"),
            Listing("visit.list", "visits, newest first", member: "visits", view: visit, filters: [enterprise], order: "visited_on DESC, id"),
            Listing(
                "consultation.list", "consultations and suggestions given, newest first", member: "consultations", view: consultation,
                filters: [enterprise, .init("kind", choices: ConsultationKind.names, "only this kind")], order: "given_on DESC, id"),
            Listing(
                "card.list", "opinion cards, the oldest due first", member: "cards", view: card,
                filters: [enterprise, .init("category", choices: settings.cardCategories, "only this category")],
                order: "answered_on IS NOT NULL, answer_due, id"),
            Listing(
                "compliance.list", "compliance programs, newest first", member: "programs", view: compliance,
                filters: [enterprise, .init("status", choices: ComplianceProgram.Status.names, "only in this status")],
                order: "proposed_on DESC, id"),
            Listing(
                "health-check.list", "legal health checks performed, newest first", member: "checks", view: healthCheck,
                filters: [enterprise], order: "performed_on DESC, id"),
            Listing(
                "risk-notice.list", "risk notices, newest first", member: "notices", view: riskNotice,
                filters: [enterprise, .init("status", choices: RiskNoticeStatus.names, "only in this status")], order: "rowid DESC"),
            Listing(
                "outreach.list", "white papers, typical cases, brochures and symposia, newest first", member: "outreach", view: outreach,
                filters: [.init("kind", choices: OutreachKind.names, "only this kind")], order: "held_on DESC, id"),
        ].map(\.spec)
    }
}
