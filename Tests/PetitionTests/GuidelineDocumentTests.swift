import BanshiKit
import Foundation
import Petition
import Testing

@Suite("Guideline files: front matter and the shipped starter set")
struct GuidelineDocumentTests {
    @Test("The starter set covers every 12309 category and the case types a window receives, each citing the articles it rests on")
    func starterSet() throws {
        let directory = "config/guidelines"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") }
        let documents = try files.map { name in
            try GuidelineDocument(text: String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8), file: name)
        }
        #expect(Set(documents.map(\.category)) == Set(PetitionCategory.allCases))
        // Work injury, wage arrears, support of elderly parents, traffic accidents, state compensation,
        // judicial aid, appeals against judgments, non-prosecution, illegal detention, lawyers' complaints,
        // juvenile cases, public-interest reports.
        let subjects = [
            "work-injury", "wage-arrears", "elderly-support", "traffic-accident", "state-compensation", "judicial-aid", "criminal-appeal",
            "civil-administrative-appeal", "non-prosecution-complaint", "illegal-detention", "lawyer-rights", "juvenile-cases",
            "public-interest-report",
        ]
        #expect(Set(subjects).isSubset(of: Set(documents.map(\.id))), "\(Set(subjects).subtracting(documents.map(\.id)))")
        for document in documents {
            #expect(document.body.count > 300, "\(document.id) is too thin to guide anyone")
            #expect(!document.keywords.isEmpty)
            #expect(document.body.contains("第") && document.body.contains("条"), "\(document.id) cites the articles it rests on")
        }
    }

    func problem(_ text: String) -> GuidelineDocument.Problem? {
        do { _ = try GuidelineDocument(text: text, file: "x.md"); return nil } catch { return error }
    }

    @Test("A bad file is refused with its line: no front matter, an unknown key, a bad category, a repeated key, no body")
    func problems() {
        #expect(problem("# 标题\n正文")?.line == 1)
        #expect(problem("---\nid: a\ntitle: t\ncategory: complaint\n正文")?.message.contains("not closed") == true)
        let unknown = problem("---\nid: a\ntitle: t\nauthor: me\ncategory: complaint\n---\n正文")
        #expect(unknown?.line == 4)
        #expect(unknown?.message.contains("author") == true)
        #expect(problem("---\nid: a\ntitle: t\ncategory: gossip\n---\n正文")?.line == 4)
        #expect(problem("---\nid: a\nid: b\ntitle: t\ncategory: complaint\n---\n正文")?.line == 3)
        #expect(problem("---\nid: Bad Id\ntitle: t\ncategory: complaint\n---\n正文")?.line == 2)
        #expect(problem("---\nid: a\ntitle: t\ncategory: complaint\n---\n\n")?.message.contains("no text") == true)
        #expect(problem("---\nid: a\ncategory: complaint\n---\n正文")?.message.contains("'title' is required") == true)
    }

    @Test("Keywords split on ASCII and full-width commas and 、")
    func keywords() throws {
        let document = try GuidelineDocument(text: "---\r\nid: a\r\ntitle: 标题\r\ncategory: complaint\r\nkeywords: 控告，检举、举报, 违法\r\n---\r\n正文", file: "x.md")
        #expect(document.keywords == ["控告", "检举", "举报", "违法"])
        #expect(document.body == "正文")
    }
}
