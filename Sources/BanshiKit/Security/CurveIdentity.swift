import Synchronization
import ZeroMQ

/// `[security]`: whether CURVE runs on every socket, and the directory of keys and the allow-list.
public struct SecuritySettings: Sendable {
    public let curve: Bool
    public let keysDirectory: String

    public init(curve: Bool, keysDirectory: String) {
        self.curve = curve
        self.keysDirectory = keysDirectory
    }
}

/// Who this process is on the wire: its CURVE key pair, and where its peers' public keys are.
///
/// A service is named after itself (`children.key`); banshictl uses `--key NAME` (default `admin`).
/// Under systemd the secret key comes through `LoadCredential=` (`$CREDENTIALS_DIRECTORY/<name>.key`),
/// readable by the service alone; otherwise from `<keys_dir>/<name>.key`.
public struct CurveIdentity: Sendable {
    public let name: String
    public let keyPair: CurveKeyPair
    public let keysDirectory: String

    public init(name: String, keyPair: CurveKeyPair, keysDirectory: String) {
        self.name = name
        self.keyPair = keyPair
        self.keysDirectory = keysDirectory
    }

    /// Loads `name`'s key pair; the error names the file.
    public static func load(name: String, settings: SecuritySettings) throws(ConfigError) -> CurveIdentity {
        var path = Path.join(settings.keysDirectory, "\(name).key")
        if let credentials = ProcessEnvironment.value("CREDENTIALS_DIRECTORY") {
            let candidate = Path.join(credentials, "\(name).key")
            if FileSystem.exists(candidate) { path = candidate }
        }
        guard FileSystem.exists(path) else {
            throw ConfigError(
                key: "security.keys_dir",
                "no key pair '\(name)' (curve = true): `banshictl keys init` creates the bus's, every service's and admin's; "
                    + "`banshictl keys generate \(name) --role ROLE` any other",
                file: path)
        }
        return CurveIdentity(name: name, keyPair: try KeyFiles.readPair(path: path), keysDirectory: settings.keysDirectory)
    }

    /// The public key of `peer` (`<keys_dir>/<peer>.pub`).
    public func serverKey(of peer: String) throws(ConfigError) -> String {
        try KeyFiles.readPublic(path: publicKeyPath(of: peer))
    }

    /// The file `serverKey(of:)` reads: what an error about a failed handshake tells the operator to check.
    public func publicKeyPath(of peer: String) -> String {
        Path.join(keysDirectory, "\(Self.keyName(of: peer)).pub")
    }

    /// The key a peer speaks with: its own name's, except that every bus (`bus`, `bus-b`, …) is the
    /// same peer to its clients and uses the bus's key.
    public static func keyName(of peer: String) -> String {
        SuiteConfig.isFurtherBus(peer) ? "bus" : peer
    }

    /// Makes `socket` a CURVE client of `peer`.
    public func secureClient(_ socket: Socket, peer: String) throws {
        try socket.setCurveClient(keyPair: keyPair, serverKey: try serverKey(of: peer))
    }

    /// Makes `socket` a CURVE server whose connections the ZAP handler admits for `domain`.
    public func secureServer(_ socket: Socket, domain: Role.Domain) throws {
        try socket.setZapDomain(domain.rawValue)
        try socket.setCurveServer(secretKey: keyPair.secretKey)
    }
}

/// The process's identity on the wire, set once at start (`nil`: CURVE is off).
///
/// Every socket the process opens to a peer (control clients, the publisher, subscribers) takes it
/// from here, so that no code path can forget to secure a connection.
public enum TransportSecurity {
    private static let identity = Mutex<CurveIdentity?>(nil)

    public static var current: CurveIdentity? { identity.withLock { $0 } }

    public static func use(_ new: CurveIdentity?) { identity.withLock { $0 = new } }
}
