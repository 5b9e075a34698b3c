import BanshiKit
import Foundation
import Testing

@Suite("Configuration: every error names its key")
struct ConfigTests {
    let valid = """
        [bus]
        publish = "tcp://127.0.0.1:7100"
        subscribe = "tcp://127.0.0.1:7101"
        control = "ipc:///run/banshi/bus.ctl"

        [services.children]
        control = "tcp://127.0.0.1:7110"
        """

    func load(_ text: String) throws(ConfigError) -> SuiteConfig {
        try SuiteConfig(ConfigTable.parse(text, file: "test.toml"))
    }

    func keyOfError(_ text: String) -> String? {
        do {
            _ = try load(text)
            return "no error"
        } catch {
            return error.key
        }
    }

    @Test("The shipped config loads, with defaults filled in")
    func shipped() throws {
        let config = try SuiteConfig.load(file: "config/banshi.toml")
        #expect(config.bus.publish == "tcp://127.0.0.1:7100")
        #expect(config.dataDirectory == "var")
        #expect(config.runtime.maxRequestBytes == 1 << 20)
    }

    @Test("A valid config reads every section")
    func validConfig() throws {
        let config = try load(valid)
        #expect(config.bus.control == "ipc:///run/banshi/bus.ctl")
        #expect(try config.service("children").control == "tcp://127.0.0.1:7110")
        #expect(config.controlEndpoint(of: "bus") == "ipc:///run/banshi/bus.ctl")
        #expect(config.stateDirectory(of: "children") == "var/children")
        #expect(config.runtime.heartbeatInterval == .seconds(1))
    }

    @Test("Missing, mistyped, out-of-range and unknown keys are reported by name")
    func errorsNameTheKey() {
        #expect(keyOfError(valid.replacingOccurrences(of: "publish = \"tcp://127.0.0.1:7100\"\n", with: "")) == "bus.publish")
        #expect(keyOfError(valid.replacingOccurrences(of: "\"tcp://127.0.0.1:7101\"", with: "7101")) == "bus.subscribe")
        #expect(keyOfError(valid.replacingOccurrences(of: "tcp://127.0.0.1:7110", with: "127.0.0.1:7110")) == "services.children.control")
        #expect(keyOfError(valid + "\n[runtime]\nmax_request_bytes = 5\n") == "runtime.max_request_bytes")
        #expect(keyOfError(valid + "\n[runtime]\nheartbeat_interval = 5\n") == "runtime.heartbeat_interval")
        #expect(keyOfError(valid + "\n[suite]\nlog_level = \"loud\"\n") == "suite.log_level")
        #expect(keyOfError("bus = 3\n") == "bus")
        #expect(keyOfError(valid + "\n[extra]\n") == "extra")
        #expect(keyOfError(valid + "\n[services.childern]\ncontrol = \"tcp://127.0.0.1:7199\"\n") == "services.childern", "a section for no service of the suite")
    }

    @Test("A syntax error gives the line and column; a missing file says so")
    func syntaxAndFile() {
        do {
            _ = try load("[bus]\npublish = = 1")
            Issue.record("expected an error")
        } catch {
            #expect(error.key == nil)
            #expect(error.description.contains("line 2, column "), "\(error.description)")
        }
        #expect(throws: ConfigError.self) { try SuiteConfig.load(file: "/nonexistent/banshi.toml") }
    }

    @Test("A missing service section is reported as services.<name>")
    func missingService() throws {
        let config = try load(valid)
        let error = #expect(throws: ConfigError.self) { try config.service("petition") }
        #expect(error?.key == "services.petition")
    }
}
