import BanshiKit
import BanshiTesting
import Children
import Testing

/// The children schema holds still: each migration makes the schema in its snapshot, and every
/// vocabulary value is one the schema's CHECK lists allow.
@Suite("Children migrations")
struct ChildrenMigrationTests {
    static let snapshotFile = "Tests/ChildrenTests/Snapshots/children-migrations.sql"

    @Test("Each migration makes exactly the schema in the snapshot: a shipped migration never changes")
    func snapshot() throws {
        let text = try ServiceDatabase.schemaSnapshot(ChildrenService.definition.migrations)
        let difference = try SchemaSnapshot.compare(text, with: Self.snapshotFile)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("Every CHECK list allows exactly its vocabulary: a new value cannot ship without the migration that allows it")
    func vocabularies() throws {
        let text = try ServiceDatabase.schemaSnapshot(ChildrenService.definition.migrations)
        let lists: [(String, String, [String])] = [
            ("child", "migrant_status", MigrantStatus.names), ("guardian", "relation", GuardianRelation.names),
            ("offender_case", "status", OffenderCaseStatus.names), ("victim_case", "offence_type", VictimOffence.names),
            ("victim_case", "aid_decision", AidDecision.names), ("guardianship_measure", "kind", GuardianshipMeasure.names),
            ("guardianship_measure", "outcome", MeasureOutcome.names), ("inspection", "venue_type", VenueType.names),
            ("finding", "kind", FindingKind.names), ("remedy", "kind", RemedyKind.names), ("remedy", "result", RemedyResult.names),
            ("mandatory_report", "sector", ReportingSector.names), ("barring_record", "kind", BarringRecord.names),
        ]
        for (table, column, names) in lists {
            #expect(SchemaSnapshot.allowedValues(in: text, table: table, column: column) == names, "\(table).\(column)")
        }
    }
}
