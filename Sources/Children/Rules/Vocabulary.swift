import BanshiKit

// The closed sets of the children program (see `Vocabulary`).

/// A child's relation to migration.
public enum MigrantStatus: String, Vocabulary {
    /// Moved with the family to the city (随迁子女).
    case migrant
    /// Stayed in the home region while the parents work elsewhere (留守儿童).
    case leftBehind = "left-behind"
    case local
}

/// Who a guardian is to the child.
public enum GuardianRelation: String, Vocabulary {
    case father, mother, grandparent
    case otherRelative = "other-relative"
    case institution, other
}

/// The offence against a child victim.
public enum VictimOffence: String, Vocabulary {
    case sexualAssault = "sexual-assault"
    case abuse, neglect
    /// Harm by a guardian other than abuse or neglect.
    case guardianHarm = "guardian-harm"
    case injury, trafficking, other

    /// Sexual-assault cases require early intervention, every one of them.
    public var requiresEarlyIntervention: Bool { self == .sexualAssault }
    /// The offences an abuse referral (and so ex-officio judicial aid) covers.
    public var isReferable: Bool { [.sexualAssault, .abuse, .neglect, .guardianHarm].contains(self) }
}

/// Guardianship intervention measures.
public enum GuardianshipMeasure: String, Vocabulary {
    /// Family-education guidance (家庭教育指导).
    case familyGuidance = "family-guidance"
    /// Compulsory parental education (强制亲职教育).
    case parentalEducation = "parental-education"
    /// Supervise-guardianship order (督促监护令): has a follow-up deadline.
    case superviseOrder = "supervise-order"
    /// Petition to revoke guardianship (撤销监护权).
    case revocationPetition = "revocation-petition"

    /// The outcomes that can conclude a measure of this kind.
    public var outcomes: [String] {
        switch self {
        case .familyGuidance, .parentalEducation: ["completed"]
        case .superviseOrder: ["complied", "not-complied"]
        case .revocationPetition: ["granted", "refused"]
        }
    }
}

/// Every outcome of every measure.
public enum MeasureOutcome: String, Vocabulary {
    case completed, complied
    case notComplied = "not-complied"
    case granted, refused
}

/// Places where minors are exposed to harm.
public enum VenueType: String, Vocabulary {
    case entertainment
    case internetCafe = "internet-cafe"
    case bar, hotel
    case schoolCanteen = "school-canteen"
    case shop, other
}

/// What an inspection found.
public enum FindingKind: String, Vocabulary {
    case minorsAdmitted = "minors-admitted"
    case tobaccoOrAlcoholSold = "tobacco-alcohol-sold"
    case childLabour = "child-labour"
    case unsafeFood = "unsafe-food"
    case other
}

/// How the procuratorate remedies a finding.
public enum RemedyKind: String, Vocabulary {
    case publicInterestAction = "public-interest-action"
    /// Procuratorial suggestion (检察建议).
    case procuratorialSuggestion = "procuratorial-suggestion"
    /// Attention letter (督促关注函).
    case attentionLetter = "attention-letter"
}

/// The result of a remedy's follow-up.
public enum RemedyResult: String, Vocabulary {
    case rectified
    case notRectified = "not-rectified"
}

/// Sectors bound by the mandatory-report duty (强制报告).
public enum ReportingSector: String, Vocabulary {
    case education, medical, hotel
    case socialWork = "social-work"
    case community, other
}

/// Criminal records that bar a person from work in close contact with minors (入职查询).
public enum BarringRecord: String, Vocabulary {
    case sexualAssault = "sexual-assault"
    case abuse, trafficking
    case violentInjury = "violent-injury"
}

/// The state of a juvenile offender case.
public enum OffenderCaseStatus: String, Vocabulary {
    case registered
    /// Conditional non-prosecution decided; on probation.
    case onProbation = "on-probation"
    /// Probation revoked; prosecuted.
    case revoked
    /// Probation completed; non-prosecution decided.
    case notProsecuted = "not-prosecuted"
}
