import BanshiKit

/// An enterprise's size class (大型、中型、小型、微型企业).
public enum EnterpriseSize: String, Vocabulary {
    case large, medium, small, micro
}

/// What the enterprise was in a case linked to it.
public enum CaseRole: String, Vocabulary {
    /// 涉案企业: the enterprise or its people were suspects.
    case suspect
    /// The enterprise was harmed.
    case victim
    /// Otherwise involved (a witness, a party to a civil matter).
    case related
}

/// What a consultation gave: 法律咨询 or 对策建议.
public enum ConsultationKind: String, Vocabulary {
    case legalConsultation = "legal-consultation"
    case countermeasureSuggestion = "countermeasure-suggestion"
}

/// Outreach output (白皮书、典型案例、宣传手册、座谈会).
public enum OutreachKind: String, Vocabulary {
    case whitePaper = "white-paper"
    case typicalCase = "typical-case"
    case brochure
    case symposium
}

/// What a compliance program's leniency decision was (企业刑事合规从宽).
public enum ComplianceDecision: String, Vocabulary {
    /// 不起诉: leniency.
    case nonProsecution = "non-prosecution"
    /// 从宽量刑建议: leniency.
    case lighterSentencingProposal = "lighter-sentencing-proposal"
    /// No leniency: the case is prosecuted.
    case prosecution

    /// Whether the decision is a leniency, which only a passed assessment allows.
    public var isLeniency: Bool { self != .prosecution }
}

/// A risk notice's life: proposed (by a risk flag), issued to the enterprise, answered by it.
public enum RiskNoticeStatus: String, Vocabulary {
    case proposed, issued, responded
}
