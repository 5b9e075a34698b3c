import BanshiKit
import Foundation
import Testing

@Suite("The wire contract: topics, envelopes, requests and replies")
struct WireContractTests {
    @Test("Topics are <service>.<entity>.<verb> in lower-case ASCII", arguments: [
        "children.abuse.referred", "petition.aid.opened", "public-interest.sample.exceeded", "a.b.c1",
    ])
    func validTopics(_ text: String) throws {
        #expect(try Topic(text).description == text)
    }

    @Test("Malformed topics are refused with invalid_argument naming the topic", arguments: [
        "", "children", "children.abuse", "children.abuse.referred.again", "Children.abuse.referred",
        "children..referred", "children.abuse.referred ", "1children.abuse.referred", "儿童.abuse.referred",
    ])
    func invalidTopics(_ text: String) {
        let error = #expect(throws: CommandError.self) { try Topic(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details["field"] == "topic")
    }

    @Test("An envelope carries every CloudEvents attribute and round-trips through its frames")
    func envelopeRoundTrip() throws {
        let time = Timestamp(timeIntervalSince1970: 1_764_400_000.5)
        let envelope = EventEnvelope(
            service: "children", type: try Topic("children.abuse.referred"), time: time, subject: "case/C-1",
            data: ["child_id": "ch_1", "count": 2], seq: 7, causationid: "req-1")
        let frames = envelope.frames()
        #expect(frames[0] == Array("children.abuse.referred".utf8))
        let object = try JSONValue.parse(frames[1])
        for key in ["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data", "seq", "correlationid", "causationid"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["specversion"] == "1.0")
        #expect(object["source"] == "/banshi/children")
        #expect(object["time"] == "2025-11-29T07:06:40.500Z")
        #expect(object["correlationid"] == object["id"])
        let decoded = try EventEnvelope.decode(frames[1])
        #expect(decoded == envelope)
        #expect(decoded.service == "children")
    }

    @Test("An envelope that breaks the contract is rejected with the reason")
    func envelopeValidation() throws {
        var envelope = EventEnvelope(
            service: "loadgen", type: try Topic("loadgen.sample.emitted"), time: Timestamp(), subject: nil, data: [:], seq: 1)
        func reason(_ body: () throws -> Void) -> String {
            do { try body(); return "accepted" } catch { return "\(error)" }
        }
        envelope.seq = 0
        #expect(reason { try envelope.validate() } == "seq must be at least 1, not 0")
        envelope.seq = 1
        envelope.source = "elsewhere"
        #expect(reason { try envelope.validate() } == "source must be /banshi/<service>, not elsewhere")
        #expect(reason { _ = try EventEnvelope.decode(Array("{\"specversion\":\"1.0\"}".utf8)) } == "'id' must be a string")
        #expect(reason { _ = try EventEnvelope.decode(Array("not json".utf8)) } == "not a JSON object: expected an object at byte 0")
    }

    @Test("Envelope members are found in any order, escaped or not; others are skipped; a wrong type is named")
    func envelopeMembers() throws {
        let envelope = EventEnvelope(
            service: "children", type: try Topic("children.abuse.referred"), time: Timestamp(timeIntervalSince1970: 1_764_400_000),
            subject: "case/中-1", data: ["n": 1, "nested": ["a": [1, 2]]], seq: 9, causationid: "req-1")
        guard case .object(var members) = try JSONValue.parse(envelope.serializedBytes()) else {
            Issue.record("an envelope is an object")
            return
        }
        members["x-extension"] = ["ignored": [true, nil]]
        members["specversion"] = "1.0"
        // Reversed order, an unknown member, and a member name written with escapes.
        var text = "{"
        for (index, key) in members.keys.sorted().reversed().enumerated() {
            if index > 0 { text += "," }
            // Real JSON escapes in the member names: "s\u0065q" is "seq", "dat\u0061contenttype" is "datacontenttype".
            let name = key == "seq" ? #"s\u0065q"# : key == "datacontenttype" ? #"dat\u0061contenttype"# : key
            text += "\"\(name)\":\(members[key]!.serialized())"
        }
        text += "}"
        #expect(try EventEnvelope.decode(Array(text.utf8)) == envelope)

        let other = text.replacingOccurrences(of: #""application/json""#, with: #""text/plain""#)
        #expect(throws: EnvelopeError.self) { try EventEnvelope.decode(Array(other.utf8)) }
        let wrongType = text.replacingOccurrences(of: #""case/中-1""#, with: "42")
        #expect { try EventEnvelope.decode(Array(wrongType.utf8)) } throws: { ($0 as? EnvelopeError)?.reason == "'subject' must be a string" }
        let nullSubject = text.replacingOccurrences(of: #""case/中-1""#, with: "null")
        #expect(try EventEnvelope.decode(Array(nullSubject.utf8)).subject == nil)
        let nullID = text.replacingOccurrences(of: "\"id\":\"\(envelope.id)\"", with: "\"id\":null")
        #expect { try EventEnvelope.decode(Array(nullID.utf8)) } throws: { ($0 as? EnvelopeError)?.reason == "'id' must be a string" }
    }

    @Test("Requests: each malformed frame gets invalid_request, with the id when it was readable")
    func requestParsing() {
        func failure(_ text: String) -> RequestParseFailure? {
            if case .failure(let failure) = CommandRequest.parse(Array(text.utf8)) { return failure }
            return nil
        }
        #expect(failure("{nope")?.error.code == .invalidRequest)
        #expect(failure("[1,2]")?.error.code == .invalidRequest)
        #expect(failure("{\"command\":\"status\"}")?.error.details["field"] == "id")
        let noCommand = failure("{\"id\":\"r1\"}")
        #expect(noCommand?.id == "r1" && noCommand?.error.details["field"] == "command")
        #expect(failure("{\"id\":\"r1\",\"command\":\"status\",\"args\":[]}")?.error.details["field"] == "args")
        let ok = CommandRequest.parse(Array("{\"id\":\"r1\",\"command\":\"status\",\"args\":{\"n\":1}}".utf8))
        #expect((try? ok.get())?.args == ["n": 1])
    }

    @Test("Replies serialize to the contract's shape and parse back")
    func replies() throws {
        let ok = CommandReply(id: "r1", outcome: .success(["n": 1]))
        #expect(ok.serialized() == #"{"id":"r1","ok":true,"result":{"n":1}}"#)
        let failed = CommandReply(id: "r2", outcome: .failure(CommandError(.invalidArgument, "bad", field: "n")))
        #expect(failed.serialized() == #"{"error":{"code":"invalid_argument","details":{"field":"n"},"message":"bad"},"id":"r2","ok":false}"#)
        #expect(try CommandReply.parse(Array(failed.serialized().utf8)) == failed)
        #expect(try CommandReply.parse(Array(ok.serialized().utf8)) == ok)
        #expect(throws: CommandError.self) { try CommandReply.parse(Array("{}".utf8)) }
        // Written member by member: the same text as the reply built as an object, with or without an
        // id, with text to escape, and nested results and details.
        let replies = [
            ok, failed, CommandReply(id: nil, outcome: .success(.null)),
            CommandReply(id: "引号\"\n", outcome: .success(["b": [1, "二"], "a": ["z": true, "y": .null]])),
            CommandReply(id: nil, outcome: .failure(CommandError(.internal, "tab\there", details: ["limit": 3, "size": 4]))),
        ]
        for reply in replies {
            var members: [String: JSONValue] = ["id": reply.id.map(JSONValue.string) ?? .null]
            switch reply.outcome {
            case .success(let result): (members["ok"], members["result"]) = (true, result)
            case .failure(let error):
                members["ok"] = false
                members["error"] = ["code": .string(error.code.rawValue), "message": .string(error.message), "details": .object(error.details)]
            }
            #expect(reply.serialized() == JSONValue.object(members).serialized())
            #expect(try CommandReply.parse(Array(reply.serialized().utf8)) == reply)
        }
    }

    @Test("JSON text escapes control characters and keeps Chinese text as it is")
    func jsonSerialization() throws {
        let value: JSONValue = ["text": "第一\n\"引号\"\u{01}", "n": 9_007_199_254_740_993, "f": 1.5, "list": [true, nil]]
        let text = value.serialized()
        #expect(text == #"{"f":1.5,"list":[true,null],"n":9007199254740993,"text":"第一\n\"引号\"\u0001"}"#)
        #expect(try JSONValue.parse(Array(text.utf8)) == value)
    }

    @Test("Pretty JSON indents by two, sorts keys, writes empty collections on one line and lays out stored fragments")
    func prettyJSON() throws {
        let value: JSONValue = [
            "name": "清水河", "n": 9_007_199_254_740_993, "f": 0.1, "empty": [], "none": [:],
            "list": [true, nil, ["b": 1, "a": "x\ny"]], "stored": .fragment(#"{"z":[],"y":2}"#), "broken": .fragment("{not json"),
        ]
        #expect(value.prettyPrinted() == #"""
            {
              "broken": {not json,
              "empty": [],
              "f": 0.1,
              "list": [
                true,
                null,
                {
                  "a": "x\ny",
                  "b": 1
                }
              ],
              "n": 9007199254740993,
              "name": "清水河",
              "none": {},
              "stored": {
                "y": 2,
                "z": []
              }
            }
            """#)
        #expect(try JSONValue.parse(Array(JSONValue.object(value.objectValue!.filter { $0.key != "broken" }).prettyPrinted().utf8))["stored"]?["y"] == 2)
    }
}

@Suite("RFC 3339 times")
struct TimestampTests {
    @Test("Formatting gives UTC with milliseconds, and parsing reads it back")
    func roundTrip() {
        let date = Timestamp(timeIntervalSince1970: 1_764_400_000.123)
        #expect(Timestamp.format(date) == "2025-11-29T07:06:40.123Z")
        #expect(Timestamp.format(Timestamp(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Timestamp(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp.parse("2025-11-29T07:06:40.123Z").map { abs($0.timeIntervalSince(date)) < 0.0005 } == true)
    }

    @Test("Other RFC 3339 forms parse; malformed and impossible dates do not")
    func forms() {
        #expect(Timestamp.parse("2021-06-01T00:00:00Z") == Timestamp(timeIntervalSince1970: 1_622_505_600))
        #expect(Timestamp.parse("2021-06-01T08:00:00+08:00") == Timestamp(timeIntervalSince1970: 1_622_505_600))
        #expect(Timestamp.parse("2024-02-29T23:59:59.5Z") == Timestamp(timeIntervalSince1970: 1_709_251_199.5))
        #expect(Timestamp.parse("1969-12-31T23:59:59Z") == Timestamp(timeIntervalSince1970: -1))
        #expect(Timestamp.format(Timestamp(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        for bad in ["2023-02-29T00:00:00Z", "2021-02-30T00:00:00Z", "2021-13-01T00:00:00Z", "yesterday", "2021-06-01", "2021-06-01T25:00:00Z", ""] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite("The JSON parser")
struct JSONParserTests {
    @Test("Valid JSON parses to the same values Foundation would give", arguments: [
        #"{"a":[1,-2,3.5,2.5e-1,true,false,null],"b":"x\"y\\z\/\n\t\u00e9\ud83d\ude00","c":{}}"#,
        #"  [ ]  "#, #""中文""#, #"-0"#, #"9223372036854775807"#, #"-9223372036854775808"#, #"9223372036854775808"#,
        #"[0,-1,12.5,-2E-2,1776400000123456789]"#,
    ])
    func valid(_ text: String) throws {
        let value = try JSONValue.parse(Array(text.utf8))
        let reference = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == reference)
    }

    @Test("An exponent makes a number a fraction, which still reads as an integer when it is whole")
    func exponent() throws {
        let parsed = try JSONValue.parse(Array("1e3".utf8))
        #expect(parsed == .double(1000), "typed as a fraction")
        #expect(parsed.intValue == 1000)
        #expect(try JSONValue.parse(Array("2.5e-1".utf8)) == .double(0.25))
        #expect(try JSONValue.parse(Array("2.5e-1".utf8)).intValue == nil, "not whole: no integer")
    }

    @Test("Malformed input is rejected", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"", "\"\\ud800\"", "tru", "[1] 2", "\"a\u{01}\"", "1e999",
    ])
    func invalid(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test("A quote, backslash, control or non-ASCII byte is found wherever it falls in an 8-byte word")
    func stringScanPositions() throws {
        for length in 0..<20 {
            for special in ["\\\"", "\\\\", "\\n", "é", "中"] {
                for position in 0...length {
                    let plain = String(repeating: "a", count: length)
                    let text = String(plain.prefix(position)) + special + String(plain.dropFirst(position))
                    let expected = text.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
                        .replacingOccurrences(of: "\\n", with: "\n")
                    #expect(try JSONValue.parse(Array("\"\(text)\"".utf8)) == .string(expected), "\(text)")
                    #expect(try JSONValue.parse(JSONValue.string(expected).serializedBytes()) == .string(expected))
                }
                let raw = Array("\"\(String(repeating: "a", count: length))".utf8) + [0x01, 0x22]
                #expect(throws: (any Error).self) { try JSONValue.parse(raw) }
            }
        }
    }

    @Test("Commas are required between items and refused after the last, at every depth", arguments: [
        #"{"a":[1,{"b":2}],"c":3}"#, #"[[],[{}],{"x":[[]]},1]"#, #"{"a":{"b":{"c":{}}},"d":[]}"#,
    ])
    func nesting(_ text: String) throws {
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
        for broken in [text.replacingOccurrences(of: ",", with: " "), text.replacingOccurrences(of: "]", with: ",]")] {
            #expect(throws: (any Error).self, "\(broken)") { try JSONValue.parse(Array(broken.utf8)) }
        }
    }

    @Test("Invalid UTF-8 and nesting beyond the limit are rejected")
    func limits() {
        #expect(throws: (any Error).self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: (any Error).self) { try JSONValue.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect((try? JSONValue.parse(Array(fine.utf8))) != nil)
    }
}

@Suite("Event ids")
struct EventIDTests {
    @Test("Ids are version 7 UUIDs that only grow within a process, and never repeat")
    func ordered() {
        let ids = (0..<20_000).map { _ in EventID.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for id in ids.prefix(100) {
            let characters = Array(id)
            #expect(characters.count == 36 && characters[14] == "7")
            #expect(["8", "9", "a", "b"].contains(characters[19]))
            #expect(UUID(uuidString: id) != nil)
        }
    }

    @Test("An id gives back the millisecond it was made in; text that is no version 7 UUID gives none")
    func millisecond() {
        let before = WallClock.nanoseconds() / 1_000_000
        let id = EventID.next()
        let after = WallClock.nanoseconds() / 1_000_000
        let millis = EventID.milliseconds(of: id)
        #expect(millis.map { (before...after).contains($0) } == true, "\(id): \(String(describing: millis)) not in \(before)...\(after)")
        #expect(EventID.milliseconds(of: "019ace3f-2b9c-7e1d-8a4f-6b9a1c2e5d7f") == 0x019a_ce3f_2b9c)
        for other in ["", "VC-01KB", "019ace3f-2b9c-4e1d-8a4f-6b9a1c2e5d7f", "019ace3f2b9c-7e1d-8a4f-6b9a1c2e5d7f0", "019ace3g-2b9c-7e1d-8a4f-6b9a1c2e5d7f"] {
            #expect(EventID.milliseconds(of: other) == nil, "\(other)")
        }
    }
}

@Suite("Opaque ids")
struct OpaqueIDTests {
    @Test("Ids are the prefix, 9 characters of time and 12 random ones, and ids made later sort after")
    func ordered() {
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let millis: UInt64 = 1_780_000_000_000
        let ids = (0..<1_000).map { OpaqueID.make("CH", millis: millis + UInt64($0)) }
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for id in ids {
            #expect(id.hasPrefix("CH-") && id.count == 24 && id.dropFirst(3).allSatisfy(alphabet.contains))
        }
        // The same millisecond: the time part is equal, the random part differs.
        let twins = (0..<100).map { _ in OpaqueID.make("VC", millis: millis) }
        #expect(Set(twins.map { $0.prefix(12) }).count == 1 && Set(twins).count == 100)
        // Time decodes back from the 9 characters; today's ids sort after one made a second ago.
        let digits = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let decoded = ids[0].dropFirst(3).prefix(9).reduce(UInt64(0)) { $0 * 32 + UInt64(digits.firstIndex(of: $1)!) }
        #expect(decoded == millis)
        #expect(OpaqueID.make("CH") > OpaqueID.make("CH", millis: UInt64(Timestamp().timeIntervalSince1970 * 1000) - 1_000))
    }
}
