import BanshiKit

/// What a lawyer's opinion is about (执业权利保障、廉洁从检).
public enum OpinionTopic: String, Vocabulary {
    case practiceRights = "practice-rights"
    case integrity
}

/// What a practice-rights complaint says was obstructed.
public enum ComplaintKind: String, Vocabulary {
    case fileReview = "file-review"
    case meeting
    case investigationEvidence = "investigation-evidence"
    case other
}

/// A complaint's life: received, assigned to a department, handled with an outcome.
public enum ComplaintStatus: String, Vocabulary {
    case received, assigned, handled
}

/// An online file-review request's life.
public enum FileReviewStatus: String, Vocabulary {
    case requested, arranged, refused
}

/// Why a file review is refused.
public enum RefusalReason: String, Vocabulary {
    /// 未成年人犯罪记录封存: a sealed juvenile criminal record is not opened to review.
    case sealedJuvenileRecord = "sealed-juvenile-record"
}

/// A task of the task book: open → in progress → done, or dropped with a reason.
public enum TaskStatus: String, Vocabulary {
    case open
    case inProgress = "in-progress"
    case done, dropped
}
