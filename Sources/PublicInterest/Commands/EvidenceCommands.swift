import BanshiKit
import SQLite

/// Evidence (drone footage, VR scene replicas, photos, lab reports): registered with the SHA-256 of its
/// file, the time and place it was taken and who holds it; every hand-over recorded; re-hashed on demand.
/// Files stay in the evidence store on the service's host; events carry only the id and the hash.
enum EvidenceCommands {
    static func all(_ settings: PublicInterestSettings) -> [CommandSpec] { [register(settings), handover, verify(settings)] }

    /// The file at `relative` inside the store: no absolute path, no `..`, an existing regular file.
    static func file(_ relative: String, in store: String) throws(CommandError) -> String {
        let parts = relative.split(separator: "/")
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains("."),
            relative.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else {
            throw CommandError(.invalidArgument, "file is a path inside the evidence store (\(store)), without '..' or control characters", field: "file")
        }
        let path = Path.join(store, relative)
        guard FileSystem.exists(path), !FileSystem.isDirectory(path) else {
            throw CommandError(.notFound, "no file \(relative) in the evidence store \(store)", field: "file")
        }
        return path
    }

    /// The SHA-256 and size of the file at `path`, read in chunks.
    static func digest(_ path: String) throws(CommandError) -> (hex: String, bytes: Int64) {
        var hasher = SHA256.Hasher()
        var bytes: Int64 = 0
        do {
            try FileSystem.forEachChunk(of: path) { chunk in
                hasher.update(Array(chunk))
                bytes += Int64(chunk.count)
            }
        } catch {
            throw CommandError(.unavailable, "\(error)")
        }
        return (hasher.finalizeHex(), bytes)
    }

    static func register(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "evidence.register", "register a file of the evidence store as evidence for a lead: its SHA-256 is computed and kept",
            arguments: [
                ArgumentSpec("lead_id", .string, required: true, "the lead (and its case)"),
                ArgumentSpec("kind", .string, required: true, choices: EvidenceKind.names, "what it is"),
                ArgumentSpec("file", .string, required: true, "its path inside the evidence store"),
                ArgumentSpec("taken_at", .time, required: true, "when it was taken"), ArgumentSpec("place", .string, required: true, "where"),
                ArgumentSpec("holder", .string, required: true, "who holds it now"),
            ],
            // The file is hashed before the transaction, so that a large video holds up no other command.
            prepare: { context in
                let (hex, bytes) = try await onOwnThread { try digest(try file(try context.arguments.string("file"), in: settings.evidenceDirectory)) }
                return ["sha256": .string(hex), "bytes": .int(bytes)]
            }
        ) { context, hashed, events in
            let arguments = context.arguments
            let lead = try arguments.string("lead_id")
            guard try Bool.fetchOne(events.db, cached: "SELECT 1 FROM lead WHERE id = ?", arguments: [lead]) == true else {
                throw CommandError(.notFound, "no lead '\(lead)'", field: "lead_id")
            }
            let taken = try arguments.time("taken_at")
            guard taken <= context.now.addingTimeInterval(300) else { throw CommandError(.invalidArgument, "taken_at is in the future", field: "taken_at") }
            let relative = try arguments.string("file")
            let hex = hashed["sha256"]!.stringValue!
            let bytes = hashed["bytes"]!.intValue!
            // The same content registered twice for one lead (a registration sent again after a timeout,
            // say) would be two items of evidence with one chain of custody split between them.
            if let existing = try String.fetchOne(
                events.db, cached: "SELECT id FROM evidence WHERE lead_id = ? AND sha256 = ?", arguments: [lead, hex])
            {
                throw CommandError(
                    .conflict, "this content (sha256 \(hex.prefix(12))…) is already evidence \(existing) for lead \(lead)",
                    details: ["evidence_id": .string(existing), "field": "file"])
            }
            let id = OpaqueID.make("EV")
            let kind = try arguments.string("kind")
            try events.db.execute(
                cached: "INSERT INTO evidence (id, lead_id, kind, file, sha256, bytes, taken_at, place, holder, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, lead, kind, relative, hex, bytes, Timestamp.format(taken), try arguments.text("place"), try arguments.text("holder"), Timestamp.format(context.now)])
            try events.emit(
                "public-interest.evidence.registered", subject: "evidence/\(id)",
                data: ["evidence_id": .string(id), "lead_id": .string(lead), "kind": .string(kind), "sha256": .string(hex)])
            return ["evidence_id": .string(id), "sha256": .string(hex), "bytes": .int(bytes)]
        }
    }

    static let handover = CommandSpec(
        "evidence.handover", "record a hand-over in the chain of custody",
        arguments: [
            ArgumentSpec("evidence_id", .string, required: true, "the evidence"), ArgumentSpec("to", .string, required: true, "who receives it"),
            ArgumentSpec("note", .string, "why, or where it goes"),
        ]
    ) { context, events in
        let id = try context.arguments.string("evidence_id")
        guard let holder = try String.fetchOne(events.db, cached: "SELECT holder FROM evidence WHERE id = ?", arguments: [id]) else {
            throw CommandError(.notFound, "no evidence '\(id)'", field: "evidence_id")
        }
        let to = try context.arguments.text("to")
        guard to != holder else { throw CommandError(.invalidArgument, "\(to) holds it already", field: "to") }
        try events.db.execute(
            cached: "INSERT INTO custody (evidence_id, from_holder, to_holder, handed_at, note) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, holder, to, Timestamp.format(context.now), context.arguments.optionalString("note")])
        try events.db.execute(cached: "UPDATE evidence SET holder = ? WHERE id = ?", arguments: [to, id])
        try events.emit("public-interest.evidence.handed-over", subject: "evidence/\(id)", data: ["evidence_id": .string(id)])
        return ["evidence_id": .string(id), "holder": .string(to)]
    }

    static func verify(_ settings: PublicInterestSettings) -> CommandSpec {
        CommandSpec(
            "evidence.verify", "re-hash an evidence file and report whether it still matches what was registered, with its chain of custody",
            arguments: [ArgumentSpec("evidence_id", .string, required: true, "the evidence")],
            // Hashed again before the transaction, like registering.
            prepare: { context in
                let id = try context.arguments.string("evidence_id")
                guard let relative = try await context.read({ db in try String.fetchOne(db, cached: "SELECT file FROM evidence WHERE id = ?", arguments: [id]) }) else {
                    throw CommandError(.notFound, "no evidence '\(id)'", field: "evidence_id")
                }
                do {
                    return ["sha256": .string(try await onOwnThread { try digest(try file(relative, in: settings.evidenceDirectory)).hex })]
                } catch {
                    return ["problem": .string((error as? CommandError)?.message ?? "\(error)")]
                }
            }
        ) { context, rehashed, events in
            let id = try context.arguments.string("evidence_id")
            guard let registered = try String.fetchOne(events.db, cached: "SELECT sha256 FROM evidence WHERE id = ?", arguments: [id]) else {
                throw CommandError(.notFound, "no evidence '\(id)'", field: "evidence_id")
            }
            let found = rehashed["sha256"]?.stringValue
            let problem = rehashed["problem"]?.stringValue
            let matches = found == registered
            var data: [String: JSONValue] = ["evidence_id": .string(id), "matches": .bool(matches), "sha256": .string(registered)]
            try events.emit("public-interest.evidence.verified", subject: "evidence/\(id)", data: .object(data))
            data["found_sha256"] = found.map(JSONValue.string) ?? .null
            if let problem { data["problem"] = .string(problem) }
            data["custody"] = try PublicInterestViews.custody.all(events.db, where: "evidence_id = ?", [id], order: "id")
            return .object(data)
        }
    }
}
