import ArgumentParser
import ZeroMQ

/// What `events tail` knows of its connections to the buses, from the SUB socket's monitor: it says
/// so when no bus answers within the timeout (exit 4, never a silent wait), when a bus refuses the
/// key, and when every bus has gone away and one comes back (with several buses, losing one loses
/// nothing).
struct BusWatch {
    let endpoint: String
    let timeout: Duration
    private let started = ContinuousClock.now
    private var connections = 0
    private var everConnected = false

    init(endpoints: [String], timeout: Duration) {
        self.endpoint = endpoints.joined(separator: ", ")
        self.timeout = timeout
    }

    private var connected: Bool { connections > 0 }

    mutating func observe(_ kind: MonitorEvent.Kind) throws {
        switch kind {
        case .handshakeSucceeded:
            if everConnected && !connected {
                printError("banshictl: a bus at \(endpoint) is back; events published meanwhile are in each service's log (--since SERVICE:SEQ)")
            }
            connections += 1
            everConnected = true
        case .handshakeFailedAuth:
            printError("banshictl: the bus at \(endpoint) refused this key (revoked, or not on its allow-list)")
            throw ExitCode(4)
        case .handshakeFailedProtocol, .handshakeFailedNoDetail:
            printError("banshictl: the handshake with the bus at \(endpoint) failed (CURVE on one side only?)")
            throw ExitCode(4)
        case .disconnected where connected:
            connections -= 1
            if !connected { printError("banshictl: lost the bus at \(endpoint); waiting for it to come back") }
        default:
            break
        }
    }

    /// Exits 4 if no bus has answered within the timeout of the start.
    func checkDeadline() throws {
        guard !everConnected, ContinuousClock.now - started >= timeout else { return }
        printError("banshictl: no bus answered at \(endpoint) within \(timeout) (is banshi-bus running?)")
        throw ExitCode(4)
    }
}
