import ArgumentParser
import BanshiKit
import Foundation
import ZeroMQ

/// `banshictl keys …`: CURVE key pairs and the allow-list in `[security] keys_dir`.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage CURVE keys: generate a key pair with a role, list the allowed keys, revoke one, allow one again.",
        discussion: """
            Files live in [security] keys_dir: NAME.key (public and secret, mode 0600, never printed), NAME.pub \
            (public) and allowed.toml (the allow-list with each key's role). Services re-read the allow-list when \
            it changes. Rotation: generate a new key under a new name with the same role, move its user to it, \
            then revoke the old name (docs/operations.md). A key revoked by mistake is allowed again with \
            `keys allow NAME --role ROLE`: its user needs no new key and no restart.
            """,
        subcommands: [Generate.self, List.self, Revoke.self, Allow.self, Initialize.self])

    /// The keys directory of the configuration (CURVE on or not: keys are prepared before it is turned on).
    static func directory(_ global: GlobalOptions) throws -> String {
        do {
            return try SuiteConfig.load(file: global.config).security.keysDirectory
        } catch {
            throw usageError("\(error)")
        }
    }

    /// The role `text` names, or a usage error that lists the roles.
    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw usageError("--role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return role
    }

    /// Throws a usage error when `name` cannot name a key.
    static func checkName(_ name: String) throws {
        guard Topic.isValidPart(name) else { throw usageError("a key name is lower-case letters, digits and '-', not '\(name)'") }
    }

    /// Writes a fresh pair for `name` and allows it with `role`; returns its public key.
    static func generate(_ name: String, role: Role, directory: String, force: Bool) throws -> String {
        try checkName(name)
        let secretFile = (directory as NSString).appendingPathComponent("\(name).key")
        if FileManager.default.fileExists(atPath: secretFile), !force {
            throw usageError("\(secretFile) exists; --force replaces it (the old key stops working)")
        }
        let pair = try CurveKeyPair.generate()
        try KeyFiles.writePair(pair, name: name, directory: directory)
        try KeyRing.load(directory: directory).adding(KeyRing.Entry(name: name, publicKey: pair.publicKey, role: role)).save()
        return pair.publicKey
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a key pair for NAME and allow it with ROLE; prints the public key.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's name: a service's name for a service key, a person's or system's otherwise.") var name: String
        @Option(help: "admin, operator, service or subscriber.") var role: String
        @Flag(help: "Replace an existing key of that name.") var force = false

        func run() throws {
            let role = try Keys.role(role)
            let directory = try Keys.directory(global)
            let publicKey = try Keys.generate(name, role: role, directory: directory, force: force)
            printError("banshictl: wrote \(directory)/\(name).key (secret, mode 0600) and \(name).pub; allowed as \(role.rawValue)")
            print(publicKey)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The allowed keys and their roles.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let ring = try KeyRing.load(directory: try Keys.directory(global))
            let rows: [JSONValue] = ring.entries.map {
                ["name": .string($0.name), "role": .string($0.role.rawValue), "fingerprint": .string($0.fingerprint), "public": .string($0.publicKey)]
            }
            print(json ? prettyJSON(["keys": .array(rows)]) : recordTable(rows, [("NAME", "name"), ("ROLE", "role"), ("FINGERPRINT", "fingerprint"), ("PUBLIC KEY", "public")]))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove NAME from the allow-list: new connections with its key are refused.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's name.") var name: String

        func run() throws {
            let directory = try Keys.directory(global)
            let ring = try KeyRing.load(directory: directory)
            guard ring.entry(named: name) != nil else { throw usageError("no key '\(name)' in \(ring.allowListPath)") }
            try KeyRing(directory: directory, entries: ring.entries.filter { $0.name != name }).save()
            print("revoked \(name)")
        }
    }

    struct Allow: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allow NAME's existing key (NAME.pub) with ROLE: undoes a revoke without a new key, or changes a key's role.",
            discussion: """
                Services re-read the allow-list when it changes, so NAME's user gets back in without a new key \
                or a restart: a client at its next connection, a service cut off from the bus within 30 s (it \
                connects again by itself). A key revoked because its secret leaked wants a new pair instead: \
                `banshictl keys generate NAME --role ROLE --force`.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's name: <keys_dir>/NAME.pub holds its public key.") var name: String
        @Option(help: "admin, operator, service or subscriber.") var role: String

        func run() throws {
            let role = try Keys.role(role)
            try Keys.checkName(name)
            let directory = try Keys.directory(global)
            let publicKey: String
            do {
                publicKey = try KeyFiles.readPublic(path: Path.join(directory, name) + ".pub")
            } catch {
                throw usageError("\(error)")
            }
            let ring = try KeyRing.load(directory: directory)
            if let other = ring.entry(publicKey: publicKey), other.name != name {
                throw usageError("\(name).pub is the key allowed as '\(other.name)' (\(other.role.rawValue)); one key, one name")
            }
            let before = ring.entry(named: name)
            if let before, before.publicKey == publicKey, before.role == role {
                print("\(name) is allowed as \(role.rawValue) already")
                return
            }
            try ring.adding(KeyRing.Entry(name: name, publicKey: publicKey, role: role, service: before?.service)).save()
            let was = before.map { $0.publicKey == publicKey ? " (was \($0.role.rawValue))" : " (its key replaces the one allowed before)" } ?? ""
            print("allowed \(name) as \(role.rawValue)\(was)")
        }
    }

    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Generate the keys a suite needs and does not have yet: the bus, every service (service), admin (admin).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Write here instead of [security] keys_dir (installing under another root).") var keysDir: String?

        func run() throws {
            let config: SuiteConfig
            do { config = try SuiteConfig.load(file: global.config) } catch { throw usageError("\(error)") }
            let directory = keysDir ?? config.security.keysDirectory
            let wanted = [("bus", Role.service)] + config.services.map { ($0.name, Role.service) } + [("admin", .admin)]
            for (name, role) in wanted where !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("\(name).key")) {
                _ = try Keys.generate(name, role: role, directory: directory, force: false)
                print("generated \(name) (\(role.rawValue))")
            }
        }
    }
}

/// `banshictl audit SERVICE`: who changed what.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a service's audit log: every state-changing command, its caller's key and role, and the result.")
    @OptionGroup var options: RecordOptions
    @Argument(help: "The service.", completion: Completions.services) var service: String
    @Option(name: .customLong("by"), help: "Only the commands of the key with this name.") var key: String?
    @Option(help: "Only this command.") var command: String?
    @Option(help: "At most this many (1 to 10000).") var limit: Int = 100
    @Flag(help: "Also the service's own commands (its timers' deadline scans and reply pruning, a few a minute), left out unless --by names its key.")
    var all = false

    func run() throws {
        var args: [String: JSONValue] = ["limit": .int(Int64(limit))]
        if let key { args["key"] = .string(key) }
        if let command { args["command"] = .string(command) }
        // A service's timers run their commands under its own key (with CURVE on): machinery, not who
        // changed what. The coordinator's routed commands come under the coordinator's key and stay.
        // Without CURVE every caller is '-', the timers too: nothing tells them apart.
        let ownLeftOut = try !all && key == nil && options.global.loadConfig().security.curve
        if ownLeftOut { args["except_key"] = .string(service) }
        try options.show(service: service, "audit.list", args) { result in
            recordTable(result["entries"]?.arrayValue, [
                ("TIME", "at"), ("KEY", "key"), ("FINGERPRINT", "fingerprint"), ("ROLE", "role"), ("COMMAND", "command"),
                ("RESULT", "result"), ("ARGS SHA-256", "args_sha256"),
            ])
        }
        if ownLeftOut, !options.json { printError("banshictl: \(service)'s own commands (key '\(service)': its timers) are left out; --all shows them") }
    }
}
