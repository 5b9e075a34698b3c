import Foundation

/// The system's own tools (`ip`, `tc`, `mount`) that the tests run to make hosts and disks.
enum SystemCommand {
    /// Runs `path` and returns what it printed; throws with its error output if it failed.
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        let output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestSuiteError("\((path as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return printed
    }
}
