import BanshiKit
import SQLite

/// Reading cases for admins: one case whole, or a filtered list.
enum CaseCommands {
    static let all = [get, list]

    static let get = CommandSpec(
        "case.get", "one offender or victim case with everything recorded on it",
        arguments: [ArgumentSpec("case_id", .string, required: true, "the case")]
    ) { context in
        let id = try context.arguments.string("case_id")
        return try await context.read { db in
            if case .object(var record)? = try ChildrenViews.offenderCase.first(db, id: id) {
                record["kind"] = "offender"
                record["help_education_plans"] = try ChildrenViews.helpEducationPlan.all(db, where: "case_id = ?", [id], order: "starts_on, id")
                return .object(record)
            }
            if case .object(var record)? = try ChildrenViews.victimCase.first(db, id: id) {
                record["kind"] = "victim"
                record["interviews"] = try ChildrenViews.interview.all(db, where: "case_id = ?", [id], order: "held_at, id")
                record["legal_aid_requests"] = try ChildrenViews.legalAidRequest.all(db, where: "case_id = ?", [id], order: "requested_at, id")
                record["referrals"] = try ChildrenViews.abuseReferral.all(db, where: "case_id = ?", [id], order: "referred_at, id")
                record["mandatory_reports"] = try ChildrenViews.mandatoryReport.all(db, where: "case_id = ?", [id], order: "received_at, id")
                return .object(record)
            }
            throw CommandError(.notFound, "no case '\(id)'", field: "case_id")
        }
    }.confidential()

    static let offenders = Listing(
        "case.list", "", member: "cases", view: ChildrenViews.offenderCaseRow,
        filters: [.init("child_id", "only this child's"), .init("status", choices: OffenderCaseStatus.names, "offender cases in this status")],
        order: "registered_at, id")
    static let victims = Listing(
        "case.list", "", member: "cases", view: ChildrenViews.victimCaseRow,
        filters: [.init("child_id", "only this child's"), .init("offence_type", choices: VictimOffence.names, "victim cases of this offence")],
        order: "registered_at, id")

    /// One command over two listings: the kind picks the table; a filter of the other kind is refused.
    static let list = CommandSpec(
        "case.list", "cases of one kind, filtered, oldest first",
        arguments: [
            ArgumentSpec("kind", .string, required: true, choices: ["offender", "victim"], "which cases"),
            ArgumentSpec("child_id", .string, "only this child's"),
            ArgumentSpec("status", .string, choices: OffenderCaseStatus.names, "offender cases in this status"),
            ArgumentSpec("offence_type", .string, choices: VictimOffence.names, "victim cases of this offence"),
            PageLimit.records.argument,
            ArgumentSpec("offset", .integer, "skip this many first (default 0)"),
        ]
    ) { context in
        let offender = try context.arguments.string("kind") == "offender"
        let foreign = offender ? "offence_type" : "status"
        guard context.arguments.values[foreign] == nil else {
            throw CommandError(.invalidArgument, "'\(foreign)' filters \(offender ? "victim" : "offender") cases, not these", field: foreign)
        }
        return try await (offender ? offenders : victims).run(context)
    }.listing("cases")
}
