/// Who sent a command: the key's name and fingerprint and its role.
public struct Caller: Sendable, Equatable {
    public let key: String
    public let fingerprint: String
    public let role: Role?

    /// CURVE is off: anyone who can reach the socket is treated as an admin, and recorded as such.
    public static let insecure = Caller(key: "-", fingerprint: "insecure", role: .admin)

    /// The caller behind a connection's `User-Id` (the key name the ZAP handler gave it); a key that
    /// was removed from the allow-list since it connected has no role.
    public static func resolve(_ userID: String?, keys: KeyRingStore?) -> Caller {
        guard let keys else { return .insecure }
        guard let userID, let entry = keys.ring.entry(named: userID) else {
            return Caller(key: userID ?? "?", fingerprint: "?", role: nil)
        }
        return Caller(key: entry.name, fingerprint: entry.fingerprint, role: entry.role)
    }
}
