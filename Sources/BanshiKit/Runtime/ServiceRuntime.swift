#if canImport(Glibc)
import Glibc
#endif
import SQLite
import Logging
import ServiceLifecycle
import ZeroMQ

/// The one way every Banshi service starts and stops.
///
/// It reads `--config`, sets up logging, opens the database, binds the control socket, serves the
/// built-in and the service's own commands, tells systemd where it stands, and on SIGTERM or SIGINT
/// lets in-flight commands finish before it closes the sockets and then the database.
public enum ServiceRuntime {
    /// Exit status for a configuration error (`EX_CONFIG`), so that systemd can tell it apart.
    public static let configErrorStatus: Int32 = 78

    /// Runs `definition` as this process's service; returns the exit status.
    public static func main(_ definition: ServiceDefinition, arguments: [String] = CommandLine.arguments) async -> Int32 {
        let program = "banshi-\(definition.name)"
        let configPath: String
        let instance: String?
        switch CommandLineOptions.parse(Array(arguments.dropFirst()), program: program) {
        case .run(let path, let name): (configPath, instance) = (path, name)
        case .exit(let status, let text):
            StandardError.write(text + "\n")
            return status
        }
        if instance != nil && definition.name != "bus" {
            StandardError.write("\(program): --instance is for banshi-bus only\n")
            return 2
        }
        let config: SuiteConfig
        let name = instance ?? definition.name
        do {
            config = try SuiteConfig.load(file: configPath)
            if definition.name != "bus" { _ = try config.service(definition.name) }
            if definition.name == "bus", config.busNamed(name) == nil {
                throw ConfigError(key: "buses.\(name)", "is missing: --instance names a [buses.\(name)] section with its endpoints", file: config.file)
            }
        } catch {
            StandardError.write("\(program): \(error)\n")
            return configErrorStatus
        }
        LogfmtHandler.bootstrap(service: name, level: config.logLevel)
        let logger = Logger(label: name)
        guard announceClock(logger) else { return configErrorStatus }
        DescriptorLimit.raise()
        do {
            try await serve(definition, instance: name, config: config, logger: logger)
            logger.info("stopped")
            return 0
        } catch let error as ConfigError {
            logger.critical("configuration rejected", metadata: ["error": "\(error)"])
            return configErrorStatus
        } catch let error as DatabaseError where definition.usesDatabase && UnusableDatabase.covers(error) {
            let path = config.databasePath(of: definition.name)
            logger.critical("service failed", metadata: ["error": "\(UnusableDatabase(service: definition.name, path: path, reason: error.message ?? "\(error)"))"])
            return 1
        } catch {
            logger.critical("service failed", metadata: ["error": "\(error)"])
            return 1
        }
    }

    /// Says when the clock is not the system's (`TestClockOffset`), or when the variable that would move
    /// it is set where it does nothing; false when its value is not a number of days.
    private static func announceClock(_ logger: Logger) -> Bool {
        switch (TestClockOffset.setting, TestClockOffset.honoured) {
        case (.unset, _), (.days(0), _):
            return true
        case (.invalid(let raw), _):
            logger.critical(
                "\(TestClockOffset.variable) must be a whole number of days (at most 36500 either way)", metadata: ["value": "\(raw)"])
            return false
        case (.days(let days), true):
            logger.warning(
                "CLOCK MOVED: \(TestClockOffset.variable) = \(days). This debug build runs \(abs(days)) days \(days > 0 ? "ahead of" : "behind") the system's clock, to test a later day. Tests only.",
                metadata: ["now": "\(Timestamp())"])
            return true
        case (.days, false):
            logger.warning("\(TestClockOffset.variable) is set and ignored: a release build keeps the system's clock")
            return true
        }
    }

    /// Turns CURVE on for the process (its identity, the allow-list, the ZAP handler), or says loudly
    /// that it is off.
    private static func secure(
        _ name: String, config: SuiteConfig, context: Context, logger: Logger
    ) async throws -> (store: KeyRingStore, zap: ZapHandler)? {
        guard config.security.curve else {
            logger.critical(
                "SECURITY OFF: [security] curve = false. Every socket is open and unencrypted, and every caller is treated as admin. Development only: never run this way with real data.")
            return nil
        }
        let identity = try CurveIdentity.load(name: name, settings: config.security)
        TransportSecurity.use(identity)
        let store = try KeyRingStore(directory: config.security.keysDirectory, logger: logger)
        let zap = ZapHandler(context: context, keys: store, logger: logger)
        try await zap.start()
        logger.info(
            "CURVE on", metadata: [
                "key": "\(name)", "fingerprint": "\(KeyRing.fingerprint(identity.keyPair.publicKey))",
                "allowed_keys": "\(store.ring.entries.count)",
            ])
        return (store, zap)
    }

    /// `instance`: the service's name, or for a bus which bus of the config (`bus`, `bus-b`).
    private static func serve(_ definition: ServiceDefinition, instance: String, config: SuiteConfig, logger: Logger) async throws {
        let settings = definition.name == "bus" ? nil : try config.service(definition.name)
        let ownBus = config.busNamed(instance) ?? config.bus
        let control = settings?.control ?? ownBus.control
        let notifier = SystemdNotifier()
        let context = try Context()
        // Security first: the ZAP handler must be bound before any CURVE socket accepts a connection.
        // Every bus is the same peer to its clients, so every bus uses the bus's key.
        let keys = try await secure(definition.name, config: config, context: context, logger: logger)

        let database: ServiceDatabase?
        if definition.usesDatabase {
            let path = config.databasePath(of: definition.name)
            let directory = config.stateDirectory(of: definition.name)
            do throws(SystemError) {
                try FileSystem.createDirectory(directory, mode: 0o700)
            } catch {
                throw ConfigError(key: "suite.data_dir", "cannot create the state directory \(directory): \(error.reason)", file: config.file)
            }
            guard FileSystem.isWritable(directory) else {
                throw ConfigError(key: "suite.data_dir", "the state directory \(directory) is not writable by this user", file: config.file)
            }
            // A service that writes a database keeps freed memory for its next transaction.
            AllocatorTuning.apply()
            let opening = ContinuousClock.now
            let opened: ServiceDatabase
            do {
                opened = try ServiceDatabase(path: path, pageSize: definition.pageSize, migrations: definition.migrations) { pending in
                    logger.notice("database migrating", metadata: ["path": "\(path)", "migrations": "\(pending.joined(separator: ","))"])
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_PERM {
                throw ConfigError(key: "suite.data_dir", "cannot open \(path): \(error.message ?? "\(error)")", file: config.file)
            }
            database = opened
            if opened.created {
                logger.info("database created", metadata: ["path": "\(path)", "migrations": "\(opened.migrated.count)"])
            } else if !opened.migrated.isEmpty {
                logger.notice(
                    "database migrated",
                    metadata: [
                        "path": "\(path)", "migrations": "\(opened.migrated.joined(separator: ","))",
                        "seconds": "\(DecimalText.fixed((ContinuousClock.now - opening).timeInterval, digits: 2))",
                    ])
            } else {
                logger.info("database open", metadata: ["path": "\(path)"])
            }
            // Put back from a backup by `banshictl restore`: the seqs given out since are marked lost.
            if let lost = try RestoredLog.resume(opened, service: definition.name, at: Timestamp()) {
                logger.notice(
                    "database restored: the seqs published after the backup are logged as lost",
                    metadata: ["first_lost": "\(lost.lowerBound)", "last_lost": "\(lost.upperBound)", "next_seq": "\(lost.upperBound + 1)"])
            }
        } else {
            database = nil
        }

        let loop = try SocketLoop(
            context: context, control: control, publish: definition.publishesEvents ? config.publishEndpoints : [],
            maxRequestBytes: config.runtime.maxRequestBytes,
            heartbeat: HeartbeatSchedule(service: definition.name, interval: config.runtime.heartbeatInterval), keys: keys?.store,
            maxConnections: ConnectionCap.limit(configured: config.runtime.maxConnections), inFlight: config.runtime.inFlight, logger: logger)
        logger.info(
            "descriptors", metadata: ["open_files_limit": "\(DescriptorLimit.current)", "control_connections_cap": "\(loop.maxConnections)"])
        if let database {
            loop.setLastSeq(try await database.writer.read { try EventLog.lastSeq($0) })
        }
        let environment = ServiceEnvironment(
            name: definition.name, config: config, settings: settings, database: database, context: context, logger: logger,
            keys: keys?.store, bus: ownBus)
        let parts = try definition.makeParts(environment)

        let facts = BuiltinCommands.ProcessFacts(
            service: instance, control: control, startedAt: Timestamp(), startedInstant: .now)
        let dispatcherBox = DispatcherBox()
        let commands = BuiltinCommands.make(
            facts: facts, database: database,
            backupDirectory: Path.join(config.stateDirectory(of: definition.name), "backups"),
            replyRetentionDays: config.runtime.replyRetentionDays,
            serviceCommands: parts.commands,
            counters: {
                let statistics = dispatcherBox.dispatcher?.statistics ?? .init()
                return (statistics.handled, statistics.failed, statistics.transactions, loop.publishedCount)
            },
            extra: {
                (await parts.status()).merging(loop.requestFigures) { own, _ in own }
                    .merging(dispatcherBox.dispatcher?.metrics.statusValue ?? [:]) { own, _ in own }
                    .merging(["warnings": .array((BusHandshakes.problems + parts.warnings(on: CalendarDate(Timestamp()))).map(JSONValue.string))]) { own, _ in own }
            })
        let dispatcher = CommandDispatcher(
            service: definition.name, commands: commands, catalog: definition.events, keys: keys?.store, database: database, loop: loop,
            maxRequestBytes: config.runtime.maxRequestBytes, allowNow: config.runtime.allowNow, logger: logger)
        dispatcherBox.dispatcher = dispatcher

        do {
            try await parts.startup()
            try await loop.start(intake: dispatcher.intake)
        } catch let error as ZeroMQError where [EADDRINUSE, EADDRNOTAVAIL, ENODEV, EINVAL].contains(error.errno) {
            // An endpoint this process cannot bind is the configuration's to fix, not a crash to retry.
            let key = error.operation.contains(control) ? (settings.map { "services.\($0.name).control" } ?? "\(ownBus.key).control")
                : error.operation.contains(ownBus.publish) ? "\(ownBus.key).publish" : error.operation.contains(ownBus.subscribe) ? "\(ownBus.key).subscribe" : "endpoints"
            throw ConfigError(key: key, "cannot bind: \(error)", file: config.file)
        }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: CommandService(dispatcher: dispatcher, loop: loop, notifier: notifier, logger: logger))
        ]
        services += parts.services.map { .init(service: $0) }
        services += parts.warnings.map { .init(service: DailyWarning(logger: logger, $0)) }
        if database != nil, config.runtime.replyRetentionDays != nil {
            services.append(.init(service: CommandTimer(["replies.prune"], every: .seconds(3600), atStart: true, environment: environment, control: control)))
        }
        if let interval = notifier.watchdogInterval {
            services.append(.init(service: WatchdogService(interval: interval, loop: loop, notifier: notifier)))
            logger.info(
                "watchdog on: pinging while the socket loop is alive",
                metadata: ["ping_every_ms": "\(Int(interval.timeInterval * 1000))", "watchdog_usec": "\(ProcessEnvironment.value("WATCHDOG_USEC") ?? "?")"])
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .init(config.runtime.shutdownGrace)
        let group = ServiceGroup(configuration: groupConfiguration)

        var serving: Logger.Metadata = [
            "control": "\(control)", "version": "\(BanshiVersion.current)", "pid": "\(ProcessEnvironment.id)",
        ]
        if definition.publishesEvents { serving["publish"] = "\(config.publishEndpoints.joined(separator: ","))" }
        logger.info("serving", metadata: serving)
        notifier.ready()
        defer { notifier.stopping() }
        do {
            try await group.run()
        } catch {
            // The replies and events of the last commits go out before the sockets close.
            database?.gate.waitForReleases()
            await loop.finish()
            await keys?.zap.stop()
            try? database?.close()
            throw error
        }
        database?.gate.waitForReleases()
        await loop.finish()
        await keys?.zap.stop()
        try database?.close()
    }
}

/// Lets `status` read the dispatcher's counters though the dispatcher is built after the commands.
private final class DispatcherBox: @unchecked Sendable {
    // Written once, before the dispatcher serves its first request; read only while serving.
    var dispatcher: CommandDispatcher?
}

/// Serves commands until graceful shutdown, then drains what was already received.
struct CommandService: Service {
    let dispatcher: CommandDispatcher
    let loop: SocketLoop
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            await dispatcher.run()
        } onGracefulShutdown: {
            logger.info("shutting down: finishing in-flight commands")
            notifier.stopping()
            loop.stopAccepting()
        }
    }
}

/// Pings systemd's watchdog while the socket loop is alive.
struct WatchdogService: Service {
    let interval: Duration
    let loop: SocketLoop
    let notifier: SystemdNotifier

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            // A wedged socket loop stops the pings, and systemd restarts the service.
            if ContinuousClock.now - loop.lastTick < interval * 2 {
                notifier.watchdog()
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// The service's database file is there but is not a database SQLite can use (overwritten, cut short,
/// corrupted), found as the service starts: the operator is told which file and how to go on.
struct UnusableDatabase: CustomStringConvertible {
    let service: String
    let path: String
    let reason: String

    /// Whether `error` says the file is not a database, or a damaged one.
    static func covers(_ error: DatabaseError) -> Bool { error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT }

    var description: String {
        "\(path) is not a usable SQLite database (\(reason)). Restore the last backup in its place "
            + "(`banshictl restore \(service) BACKUP`), or start the service empty (`banshictl restore \(service) --empty`): "
            + "either keeps this file aside, and numbers the service's next events after those its followers saw"
    }
}
