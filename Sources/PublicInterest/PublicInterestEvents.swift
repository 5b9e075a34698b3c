import BanshiKit

/// Every event the public-interest service publishes: sites, samples and their judgement, leads,
/// cases and their deadlines, evidence by id and hash. Files and notes stay in the service.
public enum PublicInterestEvents {
    static let caseID = FieldSpec("case_id", .string, "the case's id")
    static let siteID = FieldSpec("site_id", .string, "the site's id")
    static let evidenceID = FieldSpec("evidence_id", .string, "the evidence's id")
    static let sampleFields = [
        FieldSpec("sample_id", .string, "the sample's id"), siteID, FieldSpec("kind", .string, choices: ["water", "food"], "water or food"),
        FieldSpec("sampled_on", .date, "the sampling day"), FieldSpec("standard", .string, "the standard version it was judged by"),
        FieldSpec("water_class", .string, required: false, choices: WaterClass.allCases.map(\.name), "water: the class reached"),
        FieldSpec("target_class", .string, required: false, choices: WaterClass.targetNames, "water: the target class"),
        FieldSpec("substance", .string, required: false, "food: what was tested"), FieldSpec("category", .string, required: false, "food: the category"),
        FieldSpec("banned", .boolean, required: false, "food: a banned drug or pesticide"), FieldSpec("limit", .number, required: false, "food: the limit, mg/kg"),
        FieldSpec("exceedance", .number, required: false, "the value as a multiple of the limit it exceeds"),
    ]

    public static let catalog = EventCatalog(service: "public-interest", events: [
        EventSpec(
            "public-interest.site.registered", "A water body or a food place was registered.", subject: "site/{site_id}",
            fields: [
                siteID, FieldSpec("kind", .string, choices: ["water", "food"], "water or food"),
                FieldSpec("water_body", .string, required: false, choices: WaterBody.names, "water: the kind of body"),
                FieldSpec("target_class", .string, required: false, choices: WaterClass.targetNames, "water: its target class"),
                FieldSpec("food_place", .string, required: false, choices: FoodPlace.names, "food: the kind of place"),
                FieldSpec("school_canteen", .boolean, required: false, "food: a school canteen"),
                FieldSpec("serves_minors", .boolean, required: false, "food: serves minors"),
            ]),
        EventSpec("public-interest.sample.passed", "A sample met its standard (water: its target class).", subject: "site/{site_id}", fields: sampleFields),
        EventSpec("public-interest.sample.exceeded", "A sample failed its standard; a lead is opened.", subject: "site/{site_id}", fields: sampleFields),
        EventSpec(
            "public-interest.lead.opened", "A failed sample opened a lead (rules 3 and 4 read it).", subject: "lead/{lead_id}",
            fields: [
                FieldSpec("lead_id", .string, "the lead"), FieldSpec("sample_id", .string, "the sample"), siteID,
                FieldSpec("site_name", .string, "the site's name (a public place)"), FieldSpec("kind", .string, choices: ["water", "food"], "water or food"),
                FieldSpec("severity", .string, choices: Severity.names, "from the exceedance"),
                FieldSpec("minors_exposed", .boolean, "food at a school canteen or a place serving minors"),
                FieldSpec("venue_type", .string, required: false, choices: ["school-canteen", "shop"], "where minors are exposed: the venue's kind"),
                FieldSpec("credit_code", .string, required: false, "the operator's unified social credit code, where known"),
            ]),
        EventSpec(
            "public-interest.case.opened", "A lead became an administrative or civil case.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("lead_id", .string, "the lead"), FieldSpec("kind", .string, choices: CaseKind.names, "which kind")]),
        EventSpec(
            "public-interest.suggestion.issued", "A pre-litigation procuratorial suggestion was issued; the agency's reply is due.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("urgent", .boolean, "urgent (15 days)"), FieldSpec("issued_on", .date, "the day"), FieldSpec("reply_due", .date, "the last day to reply")]),
        EventSpec(
            "public-interest.suggestion.answered", "The agency replied to the suggestion.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("acted", .boolean, "whether it acted"), FieldSpec("on_time", .boolean, "whether by its due day"), FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "public-interest.suggestion.overdue", "The agency's reply passed its due day.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("due_on", .date, "the day it was due")]),
        EventSpec(
            "public-interest.case.litigated", "A public-interest suit was brought.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("kind", .string, choices: CaseKind.names, "administrative or civil"), FieldSpec("litigated_on", .date, "the day the suit was brought")]),
        EventSpec(
            "public-interest.announcement.started", "A civil case's public announcement began.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("announced_on", .date, "its first day"), FieldSpec("ends_on", .date, "its last day")]),
        EventSpec(
            "public-interest.announcement.ended", "A civil case's announcement ran its course; the suit may be brought.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("ends_on", .date, "its last day")]),
        EventSpec(
            "public-interest.case.closed", "A case was closed.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("from_stage", .string, choices: CaseStage.names, "the stage it closed at")]),
        EventSpec(
            "public-interest.follow-up.visited", "A follow-up visit took a new sample at the case's site.", subject: "case/{case_id}",
            fields: [caseID, FieldSpec("sample_id", .string, "the new sample"), FieldSpec("passed", .boolean, "whether it met the standard")]),
        EventSpec(
            "public-interest.evidence.registered", "Evidence was registered with its SHA-256.", subject: "evidence/{evidence_id}",
            fields: [evidenceID, FieldSpec("lead_id", .string, "the lead"), FieldSpec("kind", .string, choices: EvidenceKind.names, "what it is"), FieldSpec("sha256", .string, "the file's SHA-256")]),
        EventSpec("public-interest.evidence.handed-over", "Evidence changed hands.", subject: "evidence/{evidence_id}", fields: [evidenceID]),
        EventSpec(
            "public-interest.evidence.verified", "An evidence file was hashed again.", subject: "evidence/{evidence_id}",
            fields: [evidenceID, FieldSpec("matches", .boolean, "whether it still matches"), FieldSpec("sha256", .string, "the registered SHA-256")]),
    ])
}
