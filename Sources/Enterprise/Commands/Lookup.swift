import BanshiKit
import SQLite

/// Finding what a command names, and the days it gives.
enum Lookup {
    /// The enterprise with the credit code in `enterprise_id`: a malformed code is `invalid_argument`
    /// (with the check character it should have), an unknown one `not_found`.
    static func enterprise(_ db: Database, _ arguments: Arguments, field: String = "enterprise_id") throws -> CreditCode {
        let code = try CreditCode(try arguments.string(field), field: field)
        guard try Bool.fetchOne(db, cached: "SELECT 1 FROM enterprise WHERE id = ?", arguments: [code.text]) == true else {
            throw CommandError(.notFound, "no enterprise with credit code \(code) is registered", field: field)
        }
        return code
    }

    /// The current status of compliance program `id`, with its enterprise, from its record as `row`
    /// read it (`nil`: there is no such program).
    static func program(_ row: Row?, _ id: String) throws -> (status: ComplianceProgram.Status, enterprise: String) {
        guard let row, let status = ComplianceProgram.Status(rawValue: row["status"]) else {
            throw CommandError(.notFound, "no compliance program '\(id)'", field: "program_id")
        }
        return (status, row["enterprise_id"])
    }
}
