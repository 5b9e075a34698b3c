/// The error codes of the command contract.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    /// Not JSON, missing fields, more than one frame, or too large.
    case invalidRequest = "invalid_request"
    case unknownCommand = "unknown_command"
    /// An argument is missing, of the wrong type or out of range; `details.field` names it.
    case invalidArgument = "invalid_argument"
    case notFound = "not_found"
    /// A state transition that is not allowed.
    case conflict
    case unauthorized
    /// The service cannot serve now (shutting down, a dependency down); retrying later may work.
    case unavailable
    case `internal`
}

/// A command that failed, as the contract reports it: a code, a message a person can act on, and details.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var details: [String: JSONValue]

    public init(_ code: ErrorCode, _ message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// An error about one argument: `details.field` names it.
    public init(_ code: ErrorCode, _ message: String, field: String) {
        self.init(code, message, details: ["field": .string(field)])
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
