@testable import BanshiKit
import Testing

@Suite("A command's arguments checked against its specs")
struct CommandSpecTests {
    let spec = CommandSpec(
        "child.register", "registers a child",
        arguments: [ArgumentSpec("name", .string, required: true, "the name"), ArgumentSpec("age", .integer, "the age")],
        read: { _ in .null })

    @Test("Of several unknown arguments, the first in sorted order is named, whatever order they came in")
    func unknown() {
        for args: [String: JSONValue] in [["name": "a", "zeta": 1, "beta": 2, "mu": 3], ["mu": 3, "beta": 2, "zeta": 1]] {
            #expect(throws: CommandError(.invalidArgument, "command 'child.register' has no argument 'beta'", field: "beta")) {
                try spec.check(args)
            }
        }
    }

    @Test("A required argument that is missing or null is refused; an optional null is left out; `now` is always known")
    func presence() throws {
        #expect(throws: CommandError(.invalidArgument, "argument 'name' is required", field: "name")) { try spec.check(["age": 3]) }
        #expect(throws: CommandError(.invalidArgument, "argument 'name' is required", field: "name")) { try spec.check(["name": .null]) }
        #expect(try spec.check(["name": "a", "age": .null]).values == ["name": "a"])
        #expect(try spec.check(["name": "a", "age": 3]).values == ["name": "a", "age": 3])
        #expect(try spec.check(["name": "a", "now": "2026-12-01T10:00:00Z"]).values.count == 2)
        #expect(throws: CommandError.self) { try spec.check(["name": 7]) }
    }

    @Test("Every required argument missing is named in one refusal, in the command's order; `field` is the first")
    func allMissing() {
        let register = CommandSpec(
            "enterprise.register", "registers an enterprise",
            arguments: [
                ArgumentSpec("name", .string, required: true, "the name"), ArgumentSpec("industry", .string, "the industry"),
                ArgumentSpec("address", .string, required: true, "the address"), ArgumentSpec("size", .string, required: true, "the size"),
            ],
            read: { _ in .null })
        #expect(throws: CommandError(.invalidArgument, "arguments 'address', 'size' are required", field: "address")) {
            try register.check(["name": "某", "size": .null])
        }
    }

    @Test("Text may hold line breaks, tabs and any other language, but no other control character, at any depth")
    func controlCharacters() throws {
        #expect(try spec.check(["name": "张三\n李四\t🙂\r"]).values.count == 1)
        for (text, scalar) in [("a\u{0}b", "0000"), ("张\u{1B}", "001B"), ("x\u{7F}", "007F")] {
            #expect(throws: CommandError.self) { try spec.check(["name": .string(text)]) }
            #expect(ArgumentSpec.controlCharacter(in: .string(text), at: "name").map { DecimalText.hex($0.scalar.value, width: 4) } == scalar)
        }
        #expect(ArgumentSpec.controlCharacter(in: ["a": ["ok", "b\u{2}"]], at: "x")?.path == "x.a[1]")
        #expect(ArgumentSpec.controlCharacter(in: ["a": ["ok", "é"]], at: "x") == nil)
    }
}
