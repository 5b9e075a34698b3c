import BanshiKit
import BanshiTesting
import Foundation
import Testing

/// What operators run: the systemd units, the installer, and backup and restore of a live database.
@Suite("System: deployment and operations")
struct DeploySystemTests {

    @Test("The template's instance for every service of the list passes systemd-analyze verify and scores 1.5 or less in systemd-analyze security")
    func units() async throws {
        let check = try await TestSuite.runExternal(
            "/bin/bash", ["\(TestRepository.path)/scripts/check-units.sh", ServiceProcess.executableDirectory], timeout: .seconds(120))
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let scores = check.stdout.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(scores.map { String($0[0]) } == SuiteServices.names.map { "banshi@\($0).service" })
        for score in scores { #expect((Double(score[1]) ?? 10) <= 1.5) }
    }

    @Test("install.sh places binaries, units and config under a root, keeps an operator's config, and uninstalls")
    func install() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let script = "\(TestRepository.path)/deploy/install.sh"
        // It copies twelve debug executables, about 270 MB: with the whole suite writing to the same
        // disk, that has taken over 30 s.
        let first = try await TestSuite.runExternal(
            "/bin/bash", [script, "--root", root.path, "--bin", ServiceProcess.executableDirectory], timeout: .seconds(180))
        #expect(first.status == 0, "\(first.stderr)")
        let enable = "systemctl enable " + SuiteServices.names.map { "banshi@\($0)" }.joined(separator: " ") + " banshi.target"
        #expect(first.stdout.contains(enable), "\(first.stdout)")
        let manager = FileManager.default
        for service in SuiteServices.names {
            #expect(manager.isExecutableFile(atPath: root.file("usr/local/bin/banshi-\(service)")))
        }
        #expect(manager.fileExists(atPath: root.file("etc/systemd/system/banshi@.service")))
        #expect(manager.fileExists(atPath: root.file("etc/systemd/system/banshi@coordinator.service.d/reload.conf")))
        // The target pulls in nothing by itself: each host enables its own instances.
        let target = try String(contentsOfFile: root.file("etc/systemd/system/banshi.target"), encoding: .utf8)
        #expect(!target.contains("Wants="))
        #expect(manager.isExecutableFile(atPath: root.file("usr/local/bin/banshictl")))
        #expect(manager.fileExists(atPath: root.file("etc/systemd/system/banshi.target")))
        #expect(manager.fileExists(atPath: root.file("etc/banshi/guidelines/judicial-aid.md")))
        #expect(manager.fileExists(atPath: root.file("usr/local/share/doc/banshi/operations.md")))
        #expect(manager.fileExists(atPath: root.file("etc/systemd/system/banshi@reporting.service.d/metrics.conf")))

        // Shell completion: bash completes a service name after `call`; zsh has its function; the man page is there.
        let bash = root.file("usr/local/share/bash-completion/completions/banshictl")
        let completed = try await TestSuite.runExternal("/bin/bash", ["-c", """
            source \(bash)
            COMP_WORDS=(\(root.file("usr/local/bin/banshictl")) call chi); COMP_CWORD=2; COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _banshictl; echo "${COMPREPLY[@]}"
            """])
        #expect(completed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "children", "\(completed.stdout)\(completed.stderr)")
        #expect(try String(contentsOfFile: root.file("usr/local/share/zsh/site-functions/_banshictl"), encoding: .utf8).hasPrefix("#compdef banshictl"))
        let page = try String(contentsOfFile: root.file("usr/local/share/man/man1/banshictl.1"), encoding: .utf8)
        // The page is generated from the help (scripts/man.sh): a subcommand missing from it means it is stale.
        let help = try await TestSuite.run("banshictl", ["--help"])
        // Each subcommand's line starts with two spaces; its wrapped summary continues further in.
        let subcommands = (help.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? "").split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.hasPrefix("  See ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(subcommands.count > 15)
        // `help` with a service's name, not a subcommand's, says where that service's commands are.
        let slip = try await TestSuite.run("banshictl", ["help", "lawyer"])
        #expect(slip.status == 64 && slip.stdout.isEmpty && slip.stderr.hasSuffix("banshictl call lawyer help\n"), "\(slip)")
        #expect(try await TestSuite.run("banshictl", ["help", "trace"]).stdout.contains("USAGE: banshictl trace"))
        for subcommand in subcommands {
            #expect(page.contains(".It Em \(subcommand)\n"), "docs/man/banshictl.1 lacks \(subcommand): run scripts/man.sh")
        }
        let config = try SuiteConfig.load(file: root.file("etc/banshi/banshi.toml"))
        #expect(config.dataDirectory == "/var/lib/banshi")
        #expect(config.security.curve)
        // CURVE keys for the bus, every service and an admin; secrets readable by their owner only.
        let ring = try KeyRing.load(directory: root.file("etc/banshi/keys"))
        #expect(ring.entries.map(\.name) == (["admin"] + SuiteServices.names).sorted())
        #expect(ring.entry(named: "admin")?.role == .admin)
        let mode = (try manager.attributesOfItem(atPath: root.file("etc/banshi/keys/children.key"))[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(["bus"] + config.services.map(\.name) == SuiteServices.names)

        // An operator's edit survives a reinstall; the shipped file lands beside it.
        try "# edited by the operator\n".appendingToFile(root.file("etc/banshi/routes.toml"))
        let second = try await TestSuite.runExternal(
            "/bin/bash", [script, "--root", root.path, "--bin", ServiceProcess.executableDirectory], timeout: .seconds(180))
        #expect(second.stdout.contains("kept your"))
        #expect(try String(contentsOfFile: root.file("etc/banshi/routes.toml"), encoding: .utf8).contains("edited by the operator"))
        #expect(manager.fileExists(atPath: root.file("etc/banshi/routes.toml.new")))

        let removed = try await TestSuite.runExternal("/bin/bash", [script, "--root", root.path, "--uninstall"])
        #expect(removed.status == 0)
        for service in SuiteServices.names { #expect(!manager.fileExists(atPath: root.file("usr/local/bin/banshi-\(service)"))) }
        #expect(!manager.fileExists(atPath: root.file("etc/systemd/system/banshi.target")))
        #expect(!manager.fileExists(atPath: root.file("etc/systemd/system/banshi@.service")))
        #expect(!manager.fileExists(atPath: root.file("etc/systemd/system/banshi@coordinator.service.d")))
        #expect(!manager.fileExists(atPath: bash) && !manager.fileExists(atPath: root.file("usr/local/share/man/man1/banshictl.1")))
        #expect(manager.fileExists(atPath: root.file("etc/banshi/banshi.toml")))
        _ = try await TestSuite.runExternal("/bin/bash", [script, "--root", root.path, "--uninstall", "--purge"])
        #expect(!manager.fileExists(atPath: root.file("etc/banshi")))
    }

    @Test("A backup taken while the database is written restores to a working service with a gapless log")
    func backupAndRestore() async throws {
        try await TestSuite.with { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            let loadgen = Runner(suite, service: "loadgen")
            try await loadgen.ok("emit", ["count": 2000])
            // Writes keep coming before, while and after the backup runs; each must succeed.
            let backupDone = Flag()
            let writer = Task { () -> Int in
                var writes = 0
                var after = 0
                while after < 3 {
                    _ = try await loadgen.ok("emit", ["count": 100])
                    writes += 1
                    if await backupDone.isSet { after += 1 }
                }
                return writes
            }
            try await waitFor { (try await loadgen.ok("status")["last_seq"]?.intValue ?? 0) > 2000 }
            let backup = try await suite.banshictl(["backup", "loadgen", "first.sqlite", "--json"])
            await backupDone.set()
            #expect(backup.status == 0, "\(backup.stderr)")
            let result = try JSONValue.parse(Array(backup.stdout.utf8))
            #expect(result["integrity"] == "ok")
            let backedUp = try #require(result["last_seq"]?.intValue)
            let writes = try await writer.value
            let final = try await loadgen.ok("status")["last_seq"]?.intValue ?? 0
            #expect(final == 2000 + Int64(writes) * 100, "every write succeeded")
            #expect(backedUp > 2000 && backedUp < final, "writes landed before the backup and after it: \(backedUp) of \(final)")
            let refused = try await suite.banshictl(["backup", "loadgen", "first.sqlite"])
            #expect(refused.status == 1 && refused.stderr.contains("conflict"))

            // Restore as docs/operations.md says: stop, replace the file (and drop the WAL), start.
            await suite.processes["loadgen"]?.stop()
            let database = suite.databasePath("loadgen")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            try FileManager.default.copyItem(atPath: result["destination"]!.stringValue!, toPath: database)
            try await suite.start("loadgen")
            #expect(try await loadgen.ok("status")["last_seq"]?.intValue == backedUp)
            var seqs: [Int64] = []
            var after: Int64 = 0
            while true {
                let page = try await loadgen.ok("events.since", ["after_seq": .int(after), "limit": 10_000])
                let events = page["events"]?.arrayValue ?? []
                seqs += events.compactMap { $0["seq"]?.intValue }
                after = page["next_after_seq"]?.intValue ?? after
                if page["has_more"] != true { break }
            }
            #expect(seqs == Array(1...backedUp))
            #expect(try await loadgen.ok("emit", ["count": 1])["last_seq"]?.intValue == backedUp + 1)
        }
    }
}

extension String {
    /// Appends this text to the file at `path`.
    fileprivate func appendingToFile(_ path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
    }
}

/// A flag one task sets and another reads.
private actor Flag {
    private(set) var isSet = false
    func set() { isSet = true }
}
