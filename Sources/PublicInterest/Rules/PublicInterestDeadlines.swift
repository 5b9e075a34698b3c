import BanshiKit

/// The public-interest program's deadlines, as data for the kit's `deadlines.scan`: a suggestion
/// unanswered past its due day, and a civil case's announcement that has run its course, each once.
enum PublicInterestDeadlines {
    static let all: [Deadline] = [
        Deadline(
            "suggestion", table: "case_file", due: "suggestion_due", clock: .day, open: "stage = 'suggestion' AND replied_on IS NULL",
            memory: .flag("suggestion_overdue_emitted"), event: "public-interest.suggestion.overdue", subject: "case/",
            data: [("case_id", "id"), ("due_on", "suggestion_due")]),
        Deadline(
            "announcement", table: "case_file", due: "announcement_ends", clock: .day, open: "stage = 'announcement'",
            memory: .flag("announcement_emitted"), event: "public-interest.announcement.ended", subject: "case/",
            data: [("case_id", "id"), ("ends_on", "announcement_ends")]),
    ]
}
