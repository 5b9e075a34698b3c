import Logging
import Synchronization
import ZeroMQ

/// The allow-list as the process sees it: re-read when `allowed.toml` changes, so that a key added or
/// removed with `banshictl keys` takes effect on new connections without a restart.
public final class KeyRingStore: Sendable {
    private struct State {
        var ring: KeyRing
        var modified: Timestamp?
        /// Counts the reloads, so that a socket thread can tell cheaply that the list changed.
        var generation = 0
    }

    private let directory: String
    private let state: Mutex<State>
    private let logger: Logger

    public init(directory: String, logger: Logger) throws(ConfigError) {
        self.directory = directory
        self.logger = logger
        let ring = try KeyRing.load(directory: directory)
        state = Mutex(State(ring: ring, modified: Self.modified(ring.allowListPath)))
    }

    /// The current allow-list; a file that no longer parses is logged and the last good one kept.
    public var ring: KeyRing { current.ring }

    /// The current allow-list and how many times it was reloaded.
    public var current: (ring: KeyRing, generation: Int) {
        let path = Path.join(directory, "allowed.toml")
        let modified = Self.modified(path)
        if let known = state.withLock({ $0.modified == modified ? ($0.ring, $0.generation) : nil }) { return known }
        do {
            let ring = try KeyRing.load(directory: directory)
            let generation = state.withLock { state in
                state = State(ring: ring, modified: modified, generation: state.generation + 1)
                return state.generation
            }
            logger.notice("allow-list reloaded", metadata: ["keys": "\(ring.entries.count)"])
            return (ring, generation)
        } catch {
            logger.error("allow-list unreadable; keeping the last good one", metadata: ["error": "\(error)"])
            return state.withLock { ($0.ring, $0.generation) }
        }
    }

    private static func modified(_ path: String) -> Timestamp? {
        FileSystem.modificationTime(path)
    }
}

/// The process's ZAP handler (RFC 27): admits a CURVE connection only when its client key is on the
/// allow-list with a role the socket's domain lets in, and names the connection after the key.
public final class ZapHandler: Sendable {
    static let endpoint = "inproc://zeromq.zap.01"

    private let context: Context
    private let keys: KeyRingStore
    private let logger: Logger
    private let thread = SocketThread(name: "banshi-zap")

    public init(context: Context, keys: KeyRingStore, logger: Logger) {
        self.context = context
        self.keys = keys
        self.logger = logger
    }

    /// Binds the handler; CURVE servers must not accept connections before this returns.
    public func start() async throws {
        try await thread.start { [self] started in
            let socket: Socket
            do {
                socket = try Socket(context, .rep)
                try socket.setLinger(.zero)
                try socket.bind(Self.endpoint)
            } catch {
                started(.failure(error))
                return
            }
            started(.success(()))
            let poller = Poller()
            poller.add(socket)
            while !thread.isStopping {
                guard (try? poller.poll(timeout: .milliseconds(100))) ?? 0 > 0,
                    let request = try? socket.receiveMultipart(dontWait: true)
                else { continue }
                let reply = answer(request)
                do {
                    try socket.send(parts: reply)
                } catch {
                    logger.error("ZAP reply could not be sent", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    public func stop() async { await thread.stop() }

    /// The reply frames for one ZAP request.
    func answer(_ request: [[UInt8]]) -> [[UInt8]] {
        func reply(_ code: String, _ text: String, user: String = "") -> [[UInt8]] {
            [Array("1.0".utf8), request.count > 1 ? request[1] : [], Array(code.utf8), Array(text.utf8), Array(user.utf8), []]
        }
        guard request.count >= 7, String(decoding: request[0], as: UTF8.self) == "1.0" else {
            return reply("400", "malformed ZAP request")
        }
        let domain = String(decoding: request[2], as: UTF8.self)
        let address = String(decoding: request[3], as: UTF8.self)
        guard String(decoding: request[5], as: UTF8.self) == "CURVE", let key = CurveKeyPair.z85(request[6]) else {
            logger.warning("connection refused: not CURVE", metadata: ["domain": "\(domain)", "address": "\(address)"])
            return reply("400", "CURVE required")
        }
        guard let entry = keys.ring.entry(publicKey: key) else {
            logger.warning(
                "connection refused: unknown key",
                metadata: ["domain": "\(domain)", "address": "\(address)", "fingerprint": "\(KeyRing.fingerprint(key))"])
            return reply("400", "unknown key")
        }
        guard let door = Role.Domain(rawValue: domain), entry.role.admitted(to: door) else {
            logger.warning(
                "connection refused: role not admitted",
                metadata: ["domain": "\(domain)", "key": "\(entry.name)", "role": "\(entry.role.rawValue)", "address": "\(address)"])
            return reply("400", "\(entry.role.rawValue) may not connect to \(domain)")
        }
        return reply("200", "OK", user: entry.name)
    }
}
