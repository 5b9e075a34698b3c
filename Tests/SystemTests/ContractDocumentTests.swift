import BanshiKit
import BanshiTesting
import Coordinator
import Reporting
import Foundation
import Testing

/// The committed contract documents are exactly what the catalogs generate.
///
/// `scripts/contract.sh` rewrites them (it runs this suite with BANSHI_WRITE_CONTRACT=1).
@Suite("The published event contract matches the code")
struct ContractDocumentTests {
    /// Every program's catalog (from reporting's one list of programs) and the coordinator's.
    static let catalogs = ProgramIndicators.programs.map(\.catalog) + [CoordinatorEvents.catalog]
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs").standardized
    static let writing = ProcessInfo.processInfo.environment["BANSHI_WRITE_CONTRACT"] == "1"

    func check(_ relative: String, _ expected: String) throws {
        let url = Self.docs.appendingPathComponent(relative)
        if Self.writing {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try expected.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try? String(contentsOf: url, encoding: .utf8)
        #expect(committed == expected, "docs/\(relative) is out of date: run scripts/contract.sh")
    }

    @Test("docs/schemas holds one JSON Schema per event type, and nothing else")
    func schemas() throws {
        let files = ContractDocuments.schemaFiles(Self.catalogs)
        for file in files { try check(file.path, file.text) }
        // A schema of a type the code no longer has is stale: removed when writing, an error otherwise.
        let directory = Self.docs.appendingPathComponent("schemas")
        let expected = Set(files.map(\.path))
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json" else { continue }
            let relative = "schemas/" + url.path.dropFirst(directory.path.count + 1)
            guard !expected.contains(relative) else { continue }
            if Self.writing { try FileManager.default.removeItem(at: url) } else { Issue.record("docs/\(relative) is stale: run scripts/contract.sh") }
        }
    }

    @Test("docs/asyncapi.yaml lists every topic")
    func asyncAPI() throws {
        let document = ContractDocuments.asyncAPI(Self.catalogs)
        try check("asyncapi.yaml", document)
        for spec in Self.catalogs.flatMap(\.events) { #expect(document.contains("address: \"\(spec.type)\"")) }
    }
}
