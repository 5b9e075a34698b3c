import BanshiKit
import Petition
import Testing

@Suite("Petition deadlines: 7 days, 3 months, then monthly")
struct PetitionDeadlinesTests {
    let received = CalendarDate("2026-03-01")!

    @Test("The procedural reply is on time on day 7 and overdue on day 8")
    func procedural() {
        let due = PetitionDeadlines.proceduralReplyDue(receivedOn: received)
        #expect(due.description == "2026-03-08")
        #expect(!PetitionDeadlines.isOverdue(due, today: received.adding(days: 7)))
        #expect(PetitionDeadlines.isOverdue(due, today: received.adding(days: 8)))
    }

    @Test("The process or result is due on the same date 3 months later, clamped to the month's end")
    func result() {
        let due = PetitionDeadlines.resultDue(receivedOn: received)
        #expect(due.description == "2026-06-01")
        #expect(!PetitionDeadlines.isOverdue(due, today: CalendarDate("2026-06-01")!))
        #expect(PetitionDeadlines.isOverdue(due, today: CalendarDate("2026-06-02")!))
        #expect(PetitionDeadlines.resultDue(receivedOn: CalendarDate("2026-11-30")!).description == "2027-02-28")
    }

    @Test("Each follow-up falls due a month after the last")
    func followUp() {
        #expect(PetitionDeadlines.nextFollowUpDue(after: CalendarDate("2026-06-01")!).description == "2026-07-01")
        #expect(PetitionDeadlines.nextFollowUpDue(after: CalendarDate("2026-01-31")!).description == "2026-02-28")
    }
}
