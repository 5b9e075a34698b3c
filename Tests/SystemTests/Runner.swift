import BanshiKit
import BanshiTesting
import Foundation

/// One command's reply, split for `#expect`.
struct Reply {
    let result: JSONValue?
    let error: CommandError?
}

/// Calls one service of a suite and unwraps its replies.
struct Runner {
    let suite: TestSuite
    let service: String

    init(_ suite: TestSuite, service: String = "children") {
        self.suite = suite
        self.service = service
    }

    func reply(_ command: String, _ args: [String: JSONValue] = [:], id: String = UUID().uuidString) async throws -> Reply {
        switch try await suite.call(service, command, args, id: id).outcome {
        case .success(let result): Reply(result: result, error: nil)
        case .failure(let error): Reply(result: nil, error: error)
        }
    }

    @discardableResult
    func ok(_ command: String, _ args: [String: JSONValue] = [:], id: String = UUID().uuidString) async throws -> JSONValue {
        try await suite.call(service, command, args, id: id).get()
    }

    func failure(_ command: String, _ args: [String: JSONValue] = [:]) async throws -> CommandError? {
        try await reply(command, args).error
    }
}

extension Runner {
    /// Starts the bus and this runner's service, waits until the service has logged a warning holding
    /// every one of `parts` (a warning it gives at start), and returns the service's status.
    func startWarned(_ parts: [String]) async throws -> JSONValue {
        try await suite.start("bus")
        try await suite.start(service)
        try await waitFor { HardeningSystemTests.logged(suite, service, ["level=warning"] + parts) }
        return try await ok("status")
    }
}
