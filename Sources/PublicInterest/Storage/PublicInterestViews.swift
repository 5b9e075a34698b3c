import BanshiKit

/// What each public-interest table shows on the wire, and the listings over them.
enum PublicInterestViews {
    static let site = RecordView("site", [
        .init("id", title: "SITE"), .init("kind"), .init("name"), .init("district"), .init("water_body", title: "BODY"),
        .init("target_class", title: "TARGET"),
        .init("latest_class", title: "LATEST", expression: "(SELECT water_class FROM sample s WHERE s.site_id = site.id ORDER BY sampled_on DESC, recorded_at DESC LIMIT 1)"),
        .init("food_place", title: "PLACE"), .init("school_canteen", .boolean, title: "SCHOOL"), .init("serves_minors", .boolean, title: "MINORS"),
        .init("operator_credit_code", title: "OPERATOR"),
    ])
    static let sample = RecordView("sample", [
        .init("id", title: "SAMPLE"), .init("site_id", title: "SITE"), .init("kind"), .init("sampled_on", title: "ON"), .init("nh3n", .number, title: "NH3-N"),
        .init("tp", .number, title: "TP"), .init("cod", .number, title: "COD"), .init("water_class", title: "CLASS"), .init("item"), .init("category"),
        .init("substance"), .init("value", .number), .init("passed", .boolean), .init("exceedance", .number, title: "×LIMIT"), .init("standard"),
    ])
    static let lead = RecordView("lead", [
        .init("id", title: "LEAD"), .init("sample_id", title: "SAMPLE"), .init("site_id", title: "SITE"), .init("severity"), .init("status"),
        .init("opened_at", title: "OPENED"),
    ])
    static let caseFile = RecordView("case_file", [
        .init("id", title: "CASE"), .init("lead_id", title: "LEAD"), .init("kind"), .init("stage"), .init("agency"), .init("opened_on", title: "OPENED"),
        .init("suggestion_issued_on", title: "SUGGESTED"), .init("urgent", .boolean), .init("suggestion_due", title: "REPLY DUE"),
        .init("replied_on", title: "REPLIED"), .init("agency_acted", .boolean, title: "ACTED"), .init("announced_on", title: "ANNOUNCED"),
        .init("announcement_ends", title: "ANNOUNCEMENT ENDS"), .init("litigated_on", title: "LITIGATED"), .init("closed_on", title: "CLOSED"),
        .init("outcome"),
    ])
    static let evidence = RecordView("evidence", [
        .init("id", title: "EVIDENCE"), .init("lead_id", title: "LEAD"), .init("kind"), .init("file"), .init("sha256"), .init("bytes", .integer),
        .init("taken_at", title: "TAKEN"), .init("place"), .init("holder"),
    ])
    static let custody = RecordView("custody", [.init("from_holder", title: "FROM"), .init("to_holder", title: "TO"), .init("handed_at", title: "AT"), .init("note")])

    static let listings: [CommandSpec] = [
        Listing(
            "site.list", "sites with the latest class of their water", member: "sites", view: site,
            filters: [.init("kind", choices: ["water", "food"], "water or food"), .init("district", "only this district")], order: "kind DESC, name, id"),
        Listing(
            "sample.list", "samples, newest first", member: "samples", view: sample,
            filters: [.init("site_id", "only this site's"), .init("kind", choices: ["water", "food"], "water or food"), .init("passed", choices: ["0", "1"], "0: failed only")],
            order: "sampled_on DESC, recorded_at DESC"),
        Listing(
            "lead.list", "leads, open ones first, most severe first", member: "leads", view: lead,
            filters: [.init("status", choices: ["open", "case"], "open, or became a case"), .init("severity", choices: Severity.names, "only this severity")],
            order: "status, CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, opened_at"),
        Listing(
            "case.list", "cases by stage, the nearest deadline first", member: "cases", view: caseFile,
            filters: [.init("stage", choices: CaseStage.names, "only at this stage"), .init("kind", choices: CaseKind.names, "only this kind")],
            order: "stage = 'closed', coalesce(suggestion_due, announcement_ends, '9999'), opened_on, id"),
        Listing(
            "evidence.list", "evidence with its hash and holder", member: "evidence", view: evidence,
            filters: [.init("lead_id", "only this lead's"), .init("kind", choices: EvidenceKind.names, "only this kind")], order: "registered_at, id"),
    ].map(\.spec)
}
