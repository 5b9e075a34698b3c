import BanshiKit
import Children
import Testing

@Suite("Identity numbers: check character and birth date")
struct IdentityNumberTests {
    @Test("A valid number is accepted, with a lower-case x too, and yields its birth date")
    func valid() throws {
        #expect(try IdentityNumber("110105200803151232", field: "id").birthDate.description == "2008-03-15")
        #expect(try IdentityNumber("11010519800101456x", field: "id").text == "11010519800101456X")
    }

    @Test("A wrong check character, a wrong length and an impossible birth date are each refused, naming the field",
          arguments: ["110105200803151233", "11010520080315123", "1101052008031512321", "440304201002290027", "11010520080315123A"])
    func invalid(text: String) {
        #expect(throws: CommandError.self) { try IdentityNumber(text, field: "id_number") }
        do { _ = try IdentityNumber(text, field: "id_number") } catch { #expect(error.details["field"] == "id_number") }
    }
}
