/// A command request: one JSON frame `{"id", "command", "args"}`.
public struct CommandRequest: Sendable, Equatable {
    /// Unique per request; the same id sent again gets the stored reply.
    public var id: String
    public var command: String
    public var args: [String: JSONValue]
    /// Optional: the flow this command belongs to, so that the events it causes join that flow.
    public var correlationid: String?

    public init(id: String, command: String, args: [String: JSONValue] = [:], correlationid: String? = nil) {
        self.id = id
        self.command = command
        self.args = args
        self.correlationid = correlationid
    }

    /// The request's JSON text.
    public func serialized() -> String {
        var members: [String: JSONValue] = ["id": .string(id), "command": .string(command), "args": .object(args)]
        if let correlationid { members["correlationid"] = .string(correlationid) }
        return JSONValue.object(members).serialized()
    }

    /// Reads a request frame. On failure returns the `invalid_request` error and whatever id was readable,
    /// so that the reply can still carry it.
    public static func parse(_ bytes: [UInt8]) -> Result<CommandRequest, RequestParseFailure> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return .failure(.init(id: nil, error: CommandError(.invalidRequest, "the request is not valid JSON")))
        }
        guard case .object(let members) = value else {
            return .failure(.init(id: nil, error: CommandError(.invalidRequest, "the request must be a JSON object")))
        }
        guard case .string(let id)? = members["id"], !id.isEmpty else {
            return .failure(.init(id: nil, error: CommandError(.invalidRequest, "the request needs a non-empty string 'id'", field: "id")))
        }
        guard case .string(let command)? = members["command"], !command.isEmpty else {
            return .failure(.init(id: id, error: CommandError(.invalidRequest, "the request needs a non-empty string 'command'", field: "command")))
        }
        var args: [String: JSONValue] = [:]
        switch members["args"] {
        case nil, .null?: break
        case .object(let object)?: args = object
        case let other?:
            return .failure(.init(id: id, error: CommandError(.invalidRequest, "'args' must be an object, not \(other.typeName)", field: "args")))
        }
        var correlationid: String?
        switch members["correlationid"] {
        case nil, .null?: break
        case .string(let text)? where !text.isEmpty: correlationid = text
        case _?:
            return .failure(.init(id: id, error: CommandError(.invalidRequest, "'correlationid' must be a non-empty string", field: "correlationid")))
        }
        return .success(CommandRequest(id: id, command: command, args: args, correlationid: correlationid))
    }
}

/// Why a request frame could not be read, with its id when that much was readable.
public struct RequestParseFailure: Error, Sendable {
    public var id: String?
    public var error: CommandError
}

/// A command reply: `{"id", "ok": true, "result"}` or `{"id", "ok": false, "error": {code, message, details}}`.
public struct CommandReply: Sendable, Equatable {
    public var id: String?
    public var outcome: Result<JSONValue, CommandError>

    public init(id: String?, outcome: Result<JSONValue, CommandError>) {
        self.id = id
        self.outcome = outcome
    }

    /// The result, or the error thrown.
    public func get() throws(CommandError) -> JSONValue { try outcome.get() }

    /// The reply's JSON text.
    ///
    /// Written member by member in the sorted order every object of the contract has (`error`, `id`,
    /// `ok`, `result`), without building the object first: every command's reply is written so.
    public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

    /// The same, as UTF-8 bytes: what goes on the wire and into the reply store.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        func writeID() {
            if let id { JSONValue.writeString(id, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        switch outcome {
        case .success(let result):
            out.append(contentsOf: #"{"id":"#.utf8)
            writeID()
            out.append(contentsOf: #","ok":true,"result":"#.utf8)
            result.write(to: &out)
        case .failure(let error):
            out.append(contentsOf: #"{"error":{"code":"#.utf8)
            JSONValue.writeString(error.code.rawValue, to: &out)
            out.append(contentsOf: #","details":"#.utf8)
            JSONValue.object(error.details).write(to: &out)
            out.append(contentsOf: #","message":"#.utf8)
            JSONValue.writeString(error.message, to: &out)
            out.append(contentsOf: #"},"id":"#.utf8)
            writeID()
            out.append(contentsOf: #","ok":false"#.utf8)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The `id` of a reply frame, read without parsing the rest: the contract's replies list their
    /// members in sorted order, so a success reply's id comes first, before a possibly large result.
    public static func peekID(_ bytes: [UInt8]) -> String? {
        try? JSONParser.withParser(bytes, whole: false) { parser throws(JSONParser.Failure) -> String? in
            try parser.beginObject()
            while let key = try parser.nextMember() {
                let value = try parser.value()
                if key == "id" { return value.stringValue }
            }
            return nil
        }
    }

    /// Reads a reply frame; throws `invalid_request` if it is not a well-formed reply.
    public static func parse(_ bytes: [UInt8]) throws(CommandError) -> CommandReply {
        guard let value = try? JSONValue.parse(bytes), case .object(let members) = value,
            case .bool(let ok)? = members["ok"]
        else {
            throw CommandError(.invalidRequest, "the reply is not a well-formed command reply")
        }
        let id = members["id"]?.stringValue
        if ok {
            return CommandReply(id: id, outcome: .success(members["result"] ?? .null))
        }
        guard let error = members["error"]?.objectValue, let code = error["code"]?.stringValue.flatMap(ErrorCode.init),
            let message = error["message"]?.stringValue
        else {
            throw CommandError(.invalidRequest, "the reply's error is not well-formed")
        }
        return CommandReply(
            id: id, outcome: .failure(CommandError(code, message, details: error["details"]?.objectValue ?? [:])))
    }
}
