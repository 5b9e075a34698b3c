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

            // Restore as docs/operations.md says: stop, `banshictl restore`, start. Nothing follows
            // loadgen here, so the log goes on from the backup's end.
            await suite.processes["loadgen"]?.stop()
            let restore = try await suite.banshictl(["restore", "loadgen", "first.sqlite", "--timeout", "1000"])
            #expect(restore.status == 0, "\(restore.stderr)")
            #expect(
                restore.stdout.replacing("\n    ", with: " ").contains(
                    "no service follows loadgen: nothing to mark lost; its next event is seq \(backedUp + 1)"))
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

extension DeploySystemTests {
    @Test("banshictl restore: the log resumes after the last seq the followers saw; the seqs lost are logged as such; no alarm, nothing passed over")
    func restoreResumesAfterFollowers() async throws {
        try await TestSuite.with(
            services: ["loadgen", "loadsink"], runtime: "heartbeat_interval_ms = 100", serviceKeys: ["loadsink": "follow = [\"loadgen\"]"]
        ) { suite in
            try await suite.start("bus")
            try await suite.start("loadgen")
            try await suite.start("loadsink")
            let loadgen = Runner(suite, service: "loadgen")
            let probe = DeliveryProbe(suite)
            try await loadgen.ok("emit", ["count": 10])
            #expect(try await suite.banshictl(["backup", "loadgen", "b.sqlite"]).status == 0)
            try await loadgen.ok("emit", ["count": 5])
            try await probe.waitForApplied(15)
            let before = try await probe.applied()

            let running = try await suite.banshictl(["restore", "loadgen", "b.sqlite", "--timeout", "1000"])
            #expect(running.status == 1 && running.stderr.contains("loadgen is running"), "\(running.stderr)")
            await suite.processes["loadgen"]?.stop()
            let database = suite.databasePath("loadgen")
            let original = try Data(contentsOf: URL(fileURLWithPath: database))
            let junk = suite.databasePath("loadgen") + ".junk"
            try "not a database".write(toFile: junk, atomically: true, encoding: .utf8)
            let refused = try await suite.banshictl(["restore", "loadgen", junk, "--timeout", "1000"])
            #expect(refused.status == 1 && refused.stderr.contains("nothing was changed"), "\(refused.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == original, "a refused restore changed the database")

            // Run as root, as under systemd: the files it makes go to the owner of the service's
            // directory (there, the service's own user), here made another user's for the purpose.
            // (The tests that need root run as root; elsewhere this part has nothing to show.)
            let directory = (database as NSString).deletingLastPathComponent
            let nobody: uid_t = 65534
            let asRoot = getuid() == 0
            if asRoot { #expect(chown(directory, nobody, gid_t(nobody)) == 0) }
            let restored = try await suite.banshictl(["restore", "loadgen", "b.sqlite", "--timeout", "1000"])
            #expect(restored.status == 0, "\(restored.stderr)")
            if asRoot {
                for file in [database, RestoredLog.markerPath(of: database)] {
                    let owner = (try FileManager.default.attributesOfItem(atPath: file)[.ownerAccountID] as? NSNumber)?.uint32Value
                    #expect(owner == nobody, "\(file) belongs to \(owner.map(String.init) ?? "?")")
                }
                #expect(chown(directory, 0, 0) == 0)
            }
            // Each paragraph on one line again (they are wrapped to the terminal).
            let said = restored.stdout.replacing("\n    ", with: " ")
            #expect(said.contains("its log ends at seq 10"), "\(restored.stdout)")
            #expect(said.contains("its followers had seen seq 15 (loadsink 15): seqs 11–15 (5 events) are lost from loadgen"))
            #expect(said.contains("its next event is seq 16"))
            let replaced = try #require(said.split(separator: "\n").first { $0.hasPrefix("the database it replaced: ") })
            #expect(FileManager.default.fileExists(atPath: String(replaced.dropFirst("the database it replaced: ".count))))

            try await suite.start("loadgen")
            #expect(try await loadgen.ok("status")["last_seq"] == 15)
            #expect(suite.processes["loadgen"]?.log.contains("database restored") == true)
            #expect(try await loadgen.ok("emit", ["count": 1])["last_seq"] == 16)
            try await probe.waitForApplied(16)
            let after = try await probe.applied()
            #expect(after.map(\.seq) == Array(1...16), "each seq applied once, the new event included")
            #expect(Array(after.prefix(15)) == before, "what the sink applied before the restore stands")
            let sink = try await suite.call("loadsink", "status").get()
            #expect(sink["subscriptions"]?["loadgen"]?["integrity_alarms"] == 0)
            let logged = try await loadgen.ok("events.since", ["after_seq": 10, "limit": 100])["events"]?.arrayValue ?? []
            #expect(logged.compactMap { $0["seq"]?.intValue } == Array(11...16))
            #expect(logged.prefix(5).allSatisfy { $0["type"] == "loadgen.log.lost" && $0["data"]?["last_lost"] == 15 })
            #expect(!FileManager.default.fileExists(atPath: RestoredLog.markerPath(of: database)), "the marker is gone once applied")

            // A marker that is not a seq stops the start, naming the file; the database is untouched.
            await suite.processes["loadgen"]?.stop()
            try "sixteen\n".write(toFile: RestoredLog.markerPath(of: database), atomically: true, encoding: .utf8)
            let start = try await TestSuite.run("banshi-loadgen", ["--config", suite.configPath])
            #expect(start.status == 78)
            #expect((start.stdout + start.stderr).contains("\(RestoredLog.markerPath(of: database)): holds 'sixteen', not a seq"), "\(start.stdout)\(start.stderr)")
            try FileManager.default.removeItem(atPath: RestoredLog.markerPath(of: database))

            // No backup at all (the database lost): the service starts empty, after every seq seen.
            #expect(try await suite.banshictl(["restore", "loadgen"]).status == 64)
            let empty = try await suite.banshictl(["restore", "loadgen", "--empty", "--timeout", "1000"])
            #expect(empty.status == 0, "\(empty.stderr)")
            #expect(empty.stdout.replacing("\n    ", with: " ").contains("seqs 1–16 (16 events) are lost from loadgen"), "\(empty.stdout)")
            try await suite.start("loadgen")
            #expect(try await loadgen.ok("emit", ["count": 1])["last_seq"] == 17)
            try await probe.waitForApplied(17)
            #expect(try await probe.applied().map(\.seq) == Array(1...17))
            #expect(try await suite.call("loadsink", "status").get()["subscriptions"]?["loadgen"]?["integrity_alarms"] == 0)
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
