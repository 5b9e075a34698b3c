import BanshiKit

/// A criminal-compliance program (企业刑事合规) for an enterprise in a case, as a state machine:
/// proposed → accepted → under third-party supervision → assessed as passed or failed → decided.
/// Every step checks where the program stands and refuses any other with `conflict`; a failed
/// assessment can lead only to prosecution.
public enum ComplianceProgram {
    public enum Status: String, Vocabulary {
        case proposed, accepted, supervised, passed, failed, decided
    }

    /// The steps, each a command.
    public enum Step: String, Sendable, CaseIterable {
        case accept, supervise, assess, decide

        /// The status a program must be in for this step.
        var from: [Status] {
            switch self {
            case .accept: [.proposed]
            case .supervise: [.accepted]
            case .assess: [.supervised]
            case .decide: [.passed, .failed]
            }
        }
    }

    /// The status after `step` from `status`, or `conflict` saying what the program awaits.
    public static func next(
        after step: Step, from status: Status, passed: Bool = false, decision: ComplianceDecision? = nil
    ) throws(CommandError) -> Status {
        guard step.from.contains(status) else {
            throw CommandError(
                .conflict,
                "the compliance program is \(status.rawValue); \(step.rawValue) needs it \(step.from.map(\.rawValue).joined(separator: " or "))",
                details: ["status": .string(status.rawValue)])
        }
        switch step {
        case .accept: return .accepted
        case .supervise: return .supervised
        case .assess: return passed ? .passed : .failed
        case .decide:
            if status == .failed, let decision, decision.isLeniency {
                throw CommandError(
                    .conflict, "the program failed its assessment: no leniency, only prosecution",
                    details: ["field": "decision", "status": .string(status.rawValue)])
            }
            return .decided
        }
    }
}
