import BanshiKit
import Foundation

/// Polls `condition` until it holds, for at most `limit`; past that it throws, naming where it was
/// called, so that the test fails there. What a test waits for is a condition a user would see, never
/// a fixed time. The default limit is generous (60 s): it only runs out when the condition never
/// comes, and the whole suite on two cores, in a slow hour of the host, makes the debug build many
/// times slower than alone.
public func waitFor(
    _ limit: Duration = .seconds(60), fileID: String = #fileID, line: Int = #line, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestSuiteError("the condition at \(fileID):\(line) did not hold within \(limit)")
}

/// The key a config section's error names, or `nil` when `read` accepts it: what a settings test
/// asks of each bad key. `section` is the body of `[services.<service>]` (its control is added).
public func configErrorKey(service: String, _ section: String, read: (ConfigTable) throws(ConfigError) -> Void) -> String? {
    do throws(ConfigError) {
        let root = try ConfigTable.parse("[services.\(service)]\ncontrol = \"tcp://127.0.0.1:1\"\n" + section, file: "test.toml")
        try read(try root.table("services").table(service))
        return nil
    } catch {
        return error.key
    }
}
