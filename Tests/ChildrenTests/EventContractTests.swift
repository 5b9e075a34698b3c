import BanshiKit
import Children
import Testing

@Suite("The children event contract")
struct EventContractTests {
    let catalog = ChildrenEvents.catalog

    @Test("Every type is a valid children topic, listed once")
    func topics() throws {
        let types = catalog.events.map(\.type)
        #expect(Set(types).count == types.count)
        for type in types { #expect(try Topic(type).service == "children") }
    }

    /// Whether a field's name says it holds personal data: a personal-data word anywhere in it
    /// (`guardian_name`, `reporter_phone`), not only the bare word. Opaque ids (`school_id`) are not.
    static func isPersonal(_ field: String) -> Bool {
        let words: Set<Substring> = ["name", "number", "address", "phone", "birth", "situation", "reporter", "contact", "guardian"]
        return field.split(separator: "_").contains(where: words.contains) && !field.hasSuffix("_id")
    }

    @Test("No field could carry a name, an identity number, an address, a phone or what happened, under any name")
    func noPersonalFields() {
        #expect(Self.isPersonal("guardian_name") && Self.isPersonal("id_number") && Self.isPersonal("reporter_phone") && Self.isPersonal("name"))
        #expect(!Self.isPersonal("school_id") && !Self.isPersonal("child_id") && !Self.isPersonal("sector"))
        for spec in catalog.events {
            for field in spec.fields { #expect(!Self.isPersonal(field.name), "\(spec.type).\(field.name)") }
        }
    }

    @Test("Data outside the contract is refused: an extra field, a missing one, a wrong type, an unknown choice")
    func mismatch() throws {
        let spec = try #require(catalog.spec("children.child.registered"))
        #expect(spec.mismatch(["child_id": "CH-1", "migrant_status": "migrant"]) == nil)
        #expect(spec.mismatch(["child_id": "CH-1", "migrant_status": "migrant", "name": "张三"]) == "field 'name' is not in the contract")
        // Of several extra fields, the first in sorted order is named.
        #expect(spec.mismatch(["zone": 1, "child_id": "CH-1", "name": "张三", "phone": "1"]) == "field 'name' is not in the contract")
        #expect(spec.mismatch(["migrant_status": "migrant"]) == "field 'child_id' is required")
        #expect(spec.mismatch(["child_id": 7, "migrant_status": "migrant"]) != nil)
        #expect(spec.mismatch(["child_id": "CH-1", "migrant_status": "tourist"]) != nil)
    }

    @Test("The JSON Schema of each type forbids additional properties and lists the required fields")
    func schema() throws {
        let schema = try #require(catalog.spec("children.abuse.referred")).jsonSchema
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"] == ["referral_id", "case_id", "child_id", "offence_type"])
        #expect(schema["properties"]?["offence_type"]?["enum"]?.arrayValue?.contains("sexual-assault") == true)
    }
}
