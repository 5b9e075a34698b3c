/// An `events.since` reply read into envelopes. Catch-up reads up to 5,000 events a page, so the
/// reply is pulled member by member and each envelope is built where it stands, with no JSON tree of
/// the page in between.
struct SincePage {
    var events: [ReceivedEvent]
    let lastSeq: Int64
    let hasMore: Bool

    /// Reads a reply frame; throws the service's own error when it refused.
    static func decode(_ bytes: [UInt8]) throws -> SincePage {
        var events: [ReceivedEvent] = []
        var lastSeq: Int64?
        var hasMore: Bool?
        var refused = false
        var envelopeError: EnvelopeError?
        try JSONParser.withParser(bytes) { parser throws(JSONParser.Failure) in
            try parser.beginObject()
            while let key = try parser.nextMember() {
                switch key {
                case "result":
                    try parser.beginObject()
                    while let member = try parser.nextMember() {
                        switch member {
                        case "events":
                            try parser.beginArray()
                            while try parser.nextElement() {
                                do {
                                    events.append(try EventEnvelope.readReceived(&parser))
                                } catch let error as JSONParser.Failure {
                                    throw error
                                } catch {
                                    envelopeError = envelopeError ?? (error as? EnvelopeError)
                                }
                            }
                        case "last_seq": lastSeq = try parser.value().intValue
                        case "has_more": hasMore = try parser.value().boolValue
                        default: _ = try parser.value()
                        }
                    }
                case "error":
                    refused = true
                    _ = try parser.value()
                default: _ = try parser.value()
                }
            }
        }
        if refused {
            _ = try CommandReply.parse(bytes).get()  // throws the service's error as the contract spells it
        }
        if let envelopeError { throw envelopeError }
        guard let lastSeq, let hasMore else {
            throw CommandError(.internal, "an events.since reply without last_seq or has_more")
        }
        return SincePage(events: events, lastSeq: lastSeq, hasMore: hasMore)
    }
}
