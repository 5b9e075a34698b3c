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
