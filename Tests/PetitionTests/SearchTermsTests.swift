import Petition
import Testing

@Suite("Search text to trigram queries")
struct SearchTermsTests {
    @Test("Terms of 3+ characters go to MATCH, shorter ones to substring tests; punctuation splits")
    func split() {
        let terms = SearchTerms("刑事合规，赔偿 救  刑事合规")
        #expect(terms.phrases == ["刑事合规"])
        #expect(terms.short == ["赔偿", "救"])
        #expect(terms.matchQuery == "\"刑事合规\"")
        #expect(SearchTerms("  ，。 ").isEmpty)
    }

    @Test("Quotes and FTS5 operators in a query are only text: a quote splits terms, an operator is a term")
    func quotes() {
        let terms = SearchTerms("刑事合规\" OR \"国家 NEAR(")
        #expect(terms.matchQuery == "\"刑事合规\" AND \"NEAR\"")
        #expect(terms.short == ["OR", "国家"])
    }

    @Test("A question becomes any of its distinct trigrams")
    func trigrams() {
        #expect(SearchTerms.anyTrigram(of: "国家赔偿，国家赔偿") == "\"国家赔\" OR \"家赔偿\"")
        #expect(SearchTerms.anyTrigram(of: "你好") == nil)
    }
}
