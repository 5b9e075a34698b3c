import BanshiKit
import BanshiTesting
import Petition
import Testing

/// The petition schema holds still: each migration makes the schema in its snapshot, and every
/// vocabulary value is one the schema's CHECK lists allow.
@Suite("Petition migrations")
struct PetitionMigrationTests {
    static let snapshotFile = "Tests/PetitionTests/Snapshots/petition-migrations.sql"

    @Test("Each migration makes exactly the schema in the snapshot: a shipped migration never changes")
    func snapshot() throws {
        let text = try ServiceDatabase.schemaSnapshot(PetitionService.definition.migrations)
        let difference = try SchemaSnapshot.compare(text, with: Self.snapshotFile)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("Every CHECK list allows exactly its vocabulary: a new value cannot ship without the migration that allows it")
    func vocabularies() throws {
        let text = try ServiceDatabase.schemaSnapshot(PetitionService.definition.migrations)
        let lists: [(String, String, [String])] = [
            ("procuratorate", "level", ProcuratorateLevel.names), ("guideline", "category", PetitionCategory.names),
            ("guideline_version", "category", PetitionCategory.names), ("inquiry", "channel", InquiryChannel.names),
            ("inquiry", "status", InquiryStatus.names), ("petition", "category", PetitionCategory.names),
            ("petition", "status", PetitionStatus.names), ("petition_action", "kind", PetitionReply.names + ["follow-up"]),
            ("aid_case", "origin", AidOrigin.names), ("aid_case", "category", AidCategory.names), ("aid_case", "status", AidStatus.names),
            ("aid_referral", "agency", AssistanceAgency.names), ("aid_referral", "status", ReferralStatus.names),
        ]
        for (table, column, names) in lists {
            #expect(SchemaSnapshot.allowedValues(in: text, table: table, column: column) == names, "\(table).\(column)")
        }
    }
}
