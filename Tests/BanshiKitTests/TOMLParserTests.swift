import Testing

@testable import BanshiKit

/// The configuration files' TOML, read by Banshi's own parser.
@Suite("TOML")
struct TOMLParserTests {
    static func parse(_ text: String) throws -> [String: ConfigTable.Value] {
        try ConfigTable.parse(text, file: "test.toml").values
    }

    static func error(_ text: String) -> String {
        do {
            _ = try ConfigTable.parse(text, file: "test.toml")
            return "no error"
        } catch {
            let prefix = "config error in test.toml: "
            return error.description.hasPrefix(prefix) ? String(error.description.dropFirst(prefix.count)) : error.description
        }
    }

    @Test("Every kind of value: four kinds of string, integers in four bases, floats, booleans, dates as text, arrays and inline tables")
    func values() throws {
        let values = try Self.parse(#"""
            basic = "tab\there \"quoted\" \u00e9\U0001F600 中文"
            literal = 'C:\path\no escapes'
            multi = """
            line one
            line two \
                joined"""
            multiLiteral = '''
            raw \n stays'''
            decimal = 1_000
            negative = -17
            hex = 0xff
            octal = 0o17
            binary = 0b101
            float = 6.626e-34
            half = -0.5
            infinity = inf
            yes = true
            no = false
            day = 2026-11-30
            moment = 2026-11-30 08:00:00+08:00
            list = [
              1, 2,  # a comment inside
              3,
            ]
            nested = [["a"], [], ["b", "c"]]
            point = { x = 1, y.z = "two" }
            """#)
        #expect(values["basic"]?.stringValue == "tab\there \"quoted\" é😀 中文")
        #expect(values["literal"]?.stringValue == #"C:\path\no escapes"#)
        #expect(values["multi"]?.stringValue == "line one\nline two joined")
        #expect(values["multiLiteral"]?.stringValue == #"raw \n stays"#)
        #expect(values["decimal"]?.intValue == 1000)
        #expect(values["negative"]?.intValue == -17)
        #expect(values["hex"]?.intValue == 255)
        #expect(values["octal"]?.intValue == 15)
        #expect(values["binary"]?.intValue == 5)
        #expect(values["float"]?.doubleValue == 6.626e-34)
        #expect(values["half"]?.doubleValue == -0.5)
        #expect(values["infinity"]?.doubleValue == .infinity)
        #expect(values["yes"]?.boolValue == true && values["no"]?.boolValue == false)
        #expect(values["day"]?.stringValue == "2026-11-30")
        #expect(values["moment"]?.stringValue == "2026-11-30 08:00:00+08:00")
        #expect(values["list"]?.arrayValue?.compactMap(\.intValue) == [1, 2, 3])
        #expect(values["nested"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } == [["a"], [], ["b", "c"]])
        #expect(values["point"]?.tableValue?["x"]?.intValue == 1)
        #expect(values["point"]?.tableValue?["y"]?.tableValue?["z"]?.stringValue == "two")
    }

    @Test("Tables, dotted and quoted keys, and arrays of tables with sub-tables")
    func tables() throws {
        let values = try Self.parse("""
            title = "top"   # a comment after a value
            site.name = "banshi"

            [services.children]
            "quoted key" = 1
            [services.petition]
            scan_interval_ms = 0

            [[route]]
            name = "one"
            [route.when]
            field = "data.kind"
            [[route]]
            name = "two"
            """)
        #expect(values["title"]?.stringValue == "top")
        #expect(values["site"]?.tableValue?["name"]?.stringValue == "banshi")
        let services = values["services"]?.tableValue
        #expect(services?["children"]?.tableValue?["quoted key"]?.intValue == 1)
        #expect(services?["petition"]?.tableValue?["scan_interval_ms"]?.intValue == 0)
        let routes = values["route"]?.arrayValue?.compactMap(\.tableValue) ?? []
        #expect(routes.map { $0["name"]?.stringValue } == ["one", "two"])
        #expect(routes.first?["when"]?.tableValue?["field"]?.stringValue == "data.kind")
    }

    @Test("The shipped configuration files parse")
    func shipped() throws {
        for file in ["config/banshi.toml", "config/routes.toml", "config/targets.toml", "config/calendar.toml", "config/procuratorates.toml",
            "config/aid-wages.toml", "config/standards/banned-substances.toml", "deploy/banshi.toml"]
        {
            let table = try ConfigTable.load(file: file)
            #expect(!table.values.isEmpty, "\(file)")
        }
    }

    @Test("Mistakes are refused with their line and column: a key twice, a table twice, an open string, a bad number, text after a value")
    func errors() {
        #expect(Self.error("a = 1\na = 2") == "the key 'a' is defined twice at line 2, column 6")
        #expect(Self.error("[t]\nx = 1\n[t]\ny = 2").contains("the table [t] is already defined at line 3"))
        #expect(Self.error("x = \"open\ny = 1") == "the string is not closed on its line at line 1, column 10")
        #expect(Self.error("x = 012") == "'012' is not a valid value at line 1, column 5")
        #expect(Self.error("x = 1 2") == "expected the end of the line at line 1, column 7")
        #expect(Self.error("x = { a = 1 }\nx.b = 2").contains("'x' is already defined at line 2"))
        #expect(Self.error("名 = 1") == "expected a key at line 1, column 1")
        #expect(Self.error("x = \"\\q\"").contains("unknown escape"))
    }
}

extension ConfigTable.Value {
    fileprivate var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    fileprivate var intValue: Int? { if case .int(let value) = self { value } else { nil } }
    fileprivate var doubleValue: Double? { if case .double(let value) = self { value } else { nil } }
    fileprivate var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    fileprivate var arrayValue: [ConfigTable.Value]? { if case .array(let value) = self { value } else { nil } }
    fileprivate var tableValue: [String: ConfigTable.Value]? { if case .table(let value) = self { value } else { nil } }
}
