import BanshiKit

// The closed sets of the petition program (see `Vocabulary`).

/// The 12309 categories, shared by guidelines and petitions.
public enum PetitionCategory: String, Vocabulary {
    /// 控告检举.
    case complaint
    /// 刑事申诉.
    case criminalAppeal = "criminal-appeal"
    /// 民事行政诉讼监督.
    case civilAdministrativeAppeal = "civil-administrative-appeal"
    /// 国家赔偿.
    case stateCompensation = "state-compensation"
    /// 司法救助.
    case judicialAid = "judicial-aid"
    /// 法律咨询.
    case legalConsultation = "legal-consultation"
    /// 案件进度查询.
    case caseProgress = "case-progress"
}

/// How an inquiry reached the window.
public enum InquiryChannel: String, Vocabulary {
    case web, phone, window
}

/// Where an inquiry stands.
public enum InquiryStatus: String, Vocabulary {
    case open, answered, closed
}

/// The replies a petition gets.
public enum PetitionReply: String, Vocabulary {
    /// 程序性回复: received, and who handles it. Due within 7 days.
    case procedural
    /// The process so far, when the matter is not concluded. Answers the 3-month deadline; monthly
    /// follow-ups continue.
    case progress
    /// The result: concludes the petition.
    case result
}

/// Where a petition stands.
public enum PetitionStatus: String, Vocabulary {
    case received, acknowledged
    case inProgress = "in-progress"
    case concluded
}

/// How judicial aid was opened.
public enum AidOrigin: String, Vocabulary {
    case application
    /// 依职权: by the procuratorate's own motion, possibly from another service's case.
    case exOfficio = "ex-officio"
}

/// The groups judicial aid targets.
public enum AidCategory: String, Vocabulary {
    /// 因案致贫返贫 households: formerly registered poor, unstable or at risk.
    case povertyHousehold = "poverty-household"
    /// 生活困难的退役军人.
    case veteran
    case minor
    case disabled
    /// 生活困难的涉法涉诉信访人.
    case petitioner
}

/// Where an aid case stands: review → approved or rejected → (approved) paid.
public enum AidStatus: String, Vocabulary {
    case review, approved, rejected, paid
}

/// The social-assistance agencies aid refers needs beyond the case to.
public enum AssistanceAgency: String, Vocabulary {
    case civilAffairs = "civil-affairs"
    case education, health
    case humanResourcesSocialSecurity = "human-resources-social-security"
}

/// Where a referral to social assistance stands.
public enum ReferralStatus: String, Vocabulary {
    case referred, accepted, resolved, declined
}

/// The two levels of procuratorate that must each grant aid every year.
public enum ProcuratorateLevel: String, Vocabulary {
    case city, district
}
