import BanshiKit
import BanshiTesting
import Children
import Coordinator
import Enterprise
import Foundation
import SQLite
import Lawyer
import Petition
import PublicInterest
import Reporting
import Testing

/// Every service's database, as it opens, checks its vocabularies by comparisons, not by IN lists
/// that SQLite would build a temporary B-tree for on every row it checks.
@Suite("Service schemas as opened")
struct CheckListSchemaTests {
    static let definitions: [ServiceDefinition] = [
        ChildrenService.definition, PetitionService.definition, EnterpriseService.definition, LawyerService.definition,
        PublicInterestService.definition, CoordinatorService.definition, ReportingService.definition,
    ]

    @Test("No CHECK list of more than two values is left in any service's tables, and each database checks out whole")
    func noLongLists() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let longList = try NSRegularExpression(pattern: #"IN \('[^']*', '[^']*', '"#)
        for definition in Self.definitions {
            let database = try ServiceDatabase(path: directory.file("\(definition.name).sqlite"), migrations: definition.migrations)
            defer { try? database.close() }
            let tables = try database.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL")
            }
            for table in tables {
                let sql: String = table["sql"]
                let left = longList.numberOfMatches(in: sql, range: NSRange(location: 0, length: (sql as NSString).length))
                #expect(left == 0, "\(definition.name).\(table["name"] as String): \(sql)")
            }
            #expect(try database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        }
    }
}
