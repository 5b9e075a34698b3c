/// What a key may do; docs/security.md has the table of roles and doors.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Every command.
    case admin
    /// Read-only commands; a state-changing command gets `unauthorized`.
    case `operator`
    /// A Banshi service: publishes events, routes commands to other services, catches up with `events.since`.
    case service
    /// Receives events only: no command at all.
    case subscriber

    /// The ZAP domains the sockets use: one per kind of door.
    public enum Domain: String, Sendable {
        /// Control sockets (commands).
        case control
        /// The bus's publishing side.
        case publish
        /// The bus's subscribing side.
        case subscribe
    }

    /// Whether a connection with this role is let through the door at all.
    public func admitted(to domain: Domain) -> Bool {
        switch domain {
        case .control: self != .subscriber
        case .publish: self == .service || self == .admin
        case .subscribe: true
        }
    }

    /// Whether this role may run a command (`mutates`: it changes state; `confidential`: it returns
    /// personal data).
    public func mayRun(mutating mutates: Bool, confidential: Bool = false) -> Bool {
        switch self {
        case .admin, .service: true
        case .operator: !mutates && !confidential
        case .subscriber: false
        }
    }
}
