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

    @Test("No field could carry a name, an identity number, an address or a school name")
    func noPersonalFields() {
        let forbidden = ["name", "id_number", "address", "school", "school_name", "phone", "birth_date", "situation", "reporter"]
        for spec in catalog.events {
            for field in spec.fields { #expect(!forbidden.contains(field.name), "\(spec.type).\(field.name)") }
        }
    }

    @Test("Data outside the contract is refused: an extra field, a missing one, a wrong type, an unknown choice")
    func mismatch() throws {
        let spec = try #require(catalog.spec("children.child.registered"))
        #expect(spec.mismatch(["child_id": "CH-1", "migrant_status": "migrant"]) == nil)
        #expect(spec.mismatch(["child_id": "CH-1", "migrant_status": "migrant", "name": "张三"]) == "field 'name' is not in the contract")
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
