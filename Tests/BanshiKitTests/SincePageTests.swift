import Foundation
import Testing

@testable import BanshiKit

@Suite("An events.since page read into received events")
struct SincePageTests {
    @Test("Each event keeps its envelope's text exactly as the page held it, spacing, order and extensions included")
    func keepsTheText() throws {
        let first = EventEnvelope(
            service: "children", type: try Topic("children.child.registered"), time: Timestamp(timeIntervalSince1970: 1_764_400_000),
            subject: nil, data: ["child_id": "CH-1", "name": "小明"], seq: 1)
        let firstText = String(decoding: first.serializedBytes(), as: UTF8.self)
        // Written by another publisher: members in another order, spaces, an extension Banshi ignores.
        let secondText = """
            { "seq" : 2, "data":{"child_id":"CH-2"}, "specversion":"1.0", "id":"e-2", "source":"/banshi/children",
              "type":"children.child.registered", "time":"2026-11-30T09:00:00.000Z", "datacontenttype":"application/json",
              "correlationid":"e-2", "traceparent":"00-abc" }
            """
        let page = "{\"id\":\"r-1\",\"result\":{\"events\":[ \(firstText) ,\n\(secondText)],\"last_seq\":2,\"has_more\":false}}"
        let decoded = try SincePage.decode(Array(page.utf8))
        #expect(decoded.events.count == 2)
        #expect(decoded.events[0].envelope == first)
        #expect(String(decoding: decoded.events[0].encoded, as: UTF8.self) == firstText)
        #expect(String(decoding: decoded.events[1].encoded, as: UTF8.self) == secondText)
        #expect(decoded.events[1].envelope.id == "e-2")
        #expect(try EventEnvelope.decode(decoded.events[1].encoded) == decoded.events[1].envelope)
        #expect(decoded.lastSeq == 2 && !decoded.hasMore)
    }
}
