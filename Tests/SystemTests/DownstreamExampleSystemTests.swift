import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// The Python example in `examples/`: proof that a system not written in Swift can consume the contract.
@Suite("System: the Python downstream example")
struct DownstreamExampleSystemTests {
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/downstream.py").path

    @Test("It catches up on what came before it, follows live events, and applies each seq once, in order")
    func pythonConsumer() async throws {
        try await TestSuite.with(runtime: "heartbeat_interval_ms = 100") { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            _ = try await suite.call("loadgen", "emit", ["count": 500]).get()

            let consumer = Process()
            consumer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            consumer.arguments = ["python3", Self.example, "--config", suite.configPath, "--until", "loadgen=1500", "--summary", "--timeout", "60"]
            let output = Pipe()
            consumer.standardOutput = output
            let log = suite.directory.file("downstream.log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            consumer.standardError = FileHandle(forWritingAtPath: log)
            try consumer.run()
            let reader = output.fileHandleForReading
            async let text = onOwnThread { String(decoding: reader.readDataToEndOfFile(), as: UTF8.self) }

            // Subscribed (and so following live) before the rest is emitted.
            try await waitFor { (try await suite.call("bus", "status").get())["subscribers"]?.intValue ?? 0 >= 1 }
            for _ in 0..<10 {
                _ = try await suite.call("loadgen", "emit", ["count": 100]).get()
                try await Task.sleep(for: .milliseconds(20))  // pacing of the load, so that events arrive while the consumer follows
            }
            let lines = try await text.split(separator: "\n")
            // Its output ended, so it is ending; `isRunning` can lag when a process spawned by another
            // test inherited Foundation's exit descriptor (ServiceProcess.hasEnded), so /proc decides.
            try await waitFor { ServiceProcess.hasEnded(consumer.processIdentifier) }
            if !consumer.isRunning { #expect(consumer.terminationStatus == 0) }
            let events = lines.dropLast()
            #expect(events.count == 1500)
            #expect(events.map { $0.split(separator: " ")[1] } == (1...1500).map { Substring(String($0)) })
            #expect(events.allSatisfy { $0.hasPrefix("loadgen ") && $0.contains(" loadgen.sample.emitted ") })
            let summary = try JSONValue.parse(Array(String(lines.last ?? "").utf8))
            #expect(summary["sources"]?["loadgen"]?["applied_seq"] == 1500)
            #expect(summary["sources"]?["loadgen"]?["count"] == 1500)
            let fetched = summary["sources"]?["loadgen"]?["fetched"]?.intValue ?? 0
            #expect(fetched >= 500, "the first 500 came by catch-up")
            #expect(fetched < 1500, "some events arrived live, not all by catch-up: \(fetched) fetched")
        }
    }
}
