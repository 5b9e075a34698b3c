import BanshiKit

/// A public-interest case's kind: against an agency that does not act, or a civil suit.
public enum CaseKind: String, Vocabulary {
    case administrative, civil

    /// "an administrative case", "a civil case": as a refusal names it.
    var namedInText: String { (self == .administrative ? "an " : "a ") + rawValue + " case" }
}

/// Where a case stands. Administrative: consultation → suggestion → (litigation) → closed. Civil:
/// announcement → suit → closed.
public enum CaseStage: String, Vocabulary {
    case consultation, suggestion, litigation, announcement, suit, closed
}

/// What a piece of evidence is.
public enum EvidenceKind: String, Vocabulary {
    case droneFootage = "drone-footage"
    case vrReplica = "vr-replica"
    case photo
    case labReport = "lab-report"
}
