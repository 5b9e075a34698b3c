import ZeroMQ

/// The allow-list of CURVE public keys and their roles (`<keys_dir>/allowed.toml`), and the key files
/// of `<keys_dir>`: `<name>.key` (public and secret, mode 0600) and `<name>.pub` (public only).
///
/// ```toml
/// [keys.admin]
/// public = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
/// role = "admin"
///
/// [keys.children]
/// public = "..."
/// role = "service"
/// service = "children"   # optional: whose events the key may publish (default: a service key's own name)
/// ```
public struct KeyRing: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let publicKey: String
        public let role: Role
        /// The service this key publishes as, when it says so in the allow-list.
        public let service: String?

        public init(name: String, publicKey: String, role: Role, service: String? = nil) {
            self.name = name
            self.publicKey = publicKey
            self.role = role
            self.service = service
        }

        /// The only service whose events this key may publish: the bus drops any other. A service
        /// key publishes as the service it names, or as its own name; other roles publish as nobody.
        public var publishesAs: String? { service ?? (role == .service ? name : nil) }

        /// A short, stable name for the key in logs and the audit log: the first 16 hex digits of
        /// SHA-256 of its Z85 text, in groups of four.
        public var fingerprint: String { KeyRing.fingerprint(publicKey) }
    }

    public let directory: String
    public let entries: [Entry]
    private let byPublicKey: [String: Entry]

    public init(directory: String, entries: [Entry]) {
        self.directory = directory
        self.entries = entries.sorted { $0.name < $1.name }
        self.byPublicKey = Dictionary(entries.map { ($0.publicKey, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public static func fingerprint(_ publicKey: String) -> String {
        let hex = Array(SHA256.hex(Array(publicKey.utf8)).prefix(16))
        return stride(from: 0, to: 16, by: 4).map { String(hex[$0..<$0 + 4]) }.joined(separator: ":")
    }

    public var allowListPath: String { Path.join(directory, "allowed.toml") }

    /// Reads the allow-list of `directory`; an empty ring when the file does not exist yet.
    public static func load(directory: String) throws(ConfigError) -> KeyRing {
        let path = Path.join(directory, "allowed.toml")
        guard FileSystem.exists(path) else { return KeyRing(directory: directory, entries: []) }
        let root = try ConfigTable.load(file: path)
        try root.rejectUnknownKeys(["keys"])
        let keys = try root.table("keys")
        var entries: [Entry] = []
        for name in keys.values.keys.sorted() {
            let table = try keys.table(name)
            try table.rejectUnknownKeys(["public", "role", "service"])
            let publicKey = try table.string("public")
            guard CurveKeyPair.isKey(publicKey) else { throw table.error("public", "is not a Z85 CURVE public key (40 characters)") }
            let role = try table.choice("role", Role.allCases.map(\.rawValue), default: "subscriber")
            var service: String?
            if table.values["service"] != nil {
                service = try table.string("service")
                guard Topic.isValidPart(service!) else { throw table.error("service", "is a service name: lower-case letters, digits and '-'") }
            }
            entries.append(Entry(name: name, publicKey: publicKey, role: Role(rawValue: role)!, service: service))
        }
        return KeyRing(directory: directory, entries: entries)
    }

    public func entry(publicKey: String) -> Entry? { byPublicKey[publicKey] }
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The allow-list with `entry` added, or replacing the entry of the same name.
    public func adding(_ entry: Entry) -> KeyRing {
        KeyRing(directory: directory, entries: entries.filter { $0.name != entry.name } + [entry])
    }

    /// Writes the allow-list (mode 0644: public keys are not secret), atomically.
    public func save() throws {
        var text = "# Banshi CURVE allow-list: the public keys let in, and what each may do.\n"
        text += "# Roles: admin (every command), operator (read-only commands), service (publish, route\n"
        text += "# commands), subscriber (receive events only). Managed by `banshictl keys generate`.\n"
        for entry in entries {
            text += "\n[keys.\(entry.name)]\npublic = \(JSONValue.string(entry.publicKey).serialized())\nrole = \"\(entry.role.rawValue)\"\n"
            if let service = entry.service { text += "service = \"\(service)\"\n" }
        }
        try AtomicFile.write(text, to: allowListPath, mode: 0o644)
    }
}

/// Reading and writing key files.
public enum KeyFiles {
    /// Writes `<name>.key` (0600) and `<name>.pub` (0644) for `pair` in `directory`.
    public static func writePair(_ pair: CurveKeyPair, name: String, directory: String) throws {
        let base = Path.join(directory, name)
        try AtomicFile.write(
            "# The CURVE key pair of \(name). Secret: readable by its owner only, never printed.\npublic = \"\(pair.publicKey)\"\nsecret = \(JSONValue.string(pair.secretKey).serialized())\n",
            to: base + ".key", mode: 0o600)
        try AtomicFile.write(pair.publicKey + "\n", to: base + ".pub", mode: 0o644)
    }

    /// Reads a `<name>.key` file.
    public static func readPair(path: String) throws(ConfigError) -> CurveKeyPair {
        let table = try ConfigTable.load(file: path)
        try table.rejectUnknownKeys(["public", "secret"])
        let secret = try table.string("secret")
        guard CurveKeyPair.isKey(secret), let derived = try? CurveKeyPair.publicKey(forSecretKey: secret) else {
            throw table.error("secret", "is not a Z85 CURVE secret key")
        }
        guard derived == (try table.string("public")) else { throw table.error("public", "does not belong to the secret key") }
        return CurveKeyPair(publicKey: derived, secretKey: secret)
    }

    /// Reads a `<name>.pub` file.
    public static func readPublic(path: String) throws(ConfigError) -> String {
        guard let text = (try? FileSystem.readText(path)) ?? nil else {
            throw ConfigError(key: nil, "cannot read the public key (run `banshictl keys generate`)", file: path)
        }
        let key = text.trimmingWhitespace
        guard CurveKeyPair.isKey(key) else { throw ConfigError(key: nil, "is not a Z85 CURVE public key", file: path) }
        return key
    }
}
