import SQLite
import Testing

/// `executeBound` lends text to SQLite instead of copying it; what lands in the table must be exactly
/// what was bound, however the bindings run out.
@Suite("Statements run with values bound in place")
struct ExecuteBoundTests {
    static let insert = "INSERT INTO bound (n, label, body, missing) VALUES (?, ?, ?, ?)"

    static func queue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE bound (n INTEGER PRIMARY KEY, label TEXT NOT NULL, body TEXT NOT NULL, missing TEXT)")
        }
        return queue
    }

    @Test("Integers, text (ASCII, Chinese, empty, long), bytes and NULL are stored as bound")
    func values() throws {
        let queue = try Self.queue()
        let long = String(repeating: "长文本 long text ", count: 500)
        let cases: [(Int64, String, [UInt8])] = [
            (1, "plain", Array("{\"a\":1}".utf8)), (2, "中文标签", Array("正文".utf8)), (3, "", []), (4, long, Array(long.utf8)),
        ]
        try queue.write { db in
            for (n, label, body) in cases {
                try db.executeBound(Self.insert, [.int(n), .text(label), .utf8(body), .null])
            }
        }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT n, label, body, missing, typeof(missing) FROM bound ORDER BY n") }
        #expect(rows.count == cases.count)
        for (row, expected) in zip(rows, cases) {
            #expect(row[0] as Int64 == expected.0)
            #expect(row[1] as String == expected.1)
            #expect(row[2] as String == String(decoding: expected.2, as: UTF8.self))
            #expect(row[3] as String? == nil)
            #expect(row[4] as String == "null")
        }
    }

    @Test("A failing statement throws SQLite's message and leaves the cached statement usable")
    func failure() throws {
        let queue = try Self.queue()
        try queue.write { db in
            try db.executeBound(Self.insert, [.int(1), .text("first"), .text("x"), .null])
            #expect { try db.executeBound(Self.insert, [.int(1), .text("again"), .text("y"), .null]) } throws: { error in
                "\(error)".contains("UNIQUE constraint failed")
            }
            #expect(throws: (any Error).self) { try db.executeBound(Self.insert, [.int(2), .null, .text("z"), .null]) }
            try db.executeBound(Self.insert, [.int(2), .text("second"), .text("z"), .null])
        }
        let labels = try queue.read { db in try String.fetchAll(db, sql: "SELECT label FROM bound ORDER BY n") }
        #expect(labels == ["first", "second"])
    }
}
