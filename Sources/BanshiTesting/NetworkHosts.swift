import Foundation
import Synchronization

/// "Hosts" for system tests: network namespaces joined by veth pairs to a private bridge, with
/// addresses of their own (10.X.Y.0/24, the bridge at .254 so the test process reaches every host),
/// no route anywhere else. Links can be cut and healed, and slowed (delay and loss). Needs root and
/// `ip`/`tc` (iproute2); `remove()` deletes everything it made.
public final class NetworkHosts: @unchecked Sendable {
    // Mutated only at creation; the test that owns it drives it sequentially.
    public struct Host: Sendable {
        public let name: String
        public let namespace: String
        public let address: String
        /// The veth end in the root namespace, on the bridge: cutting it isolates the host.
        public let link: String
    }

    public let hosts: [String: Host]
    public let bridge: String
    /// The bridge's address in the root namespace (the test process's side).
    public let gateway: String

    private static let counter = Mutex(0)
    /// The user-space links slowing hosts, by host name.
    private let emulators = Mutex<[String: LinkEmulator]>([:])

    /// Creates one namespace per name, e.g. `["core", "programs", "downstream"]`.
    public init(_ names: [String]) throws {
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        // A run killed before `remove()` leaves its bridge and its address behind. A later run whose
        // pid gives the same subnet would then have two routes to it, the dead bridge's first, and
        // reach none of its hosts: so a subnet or bridge name already on this machine is passed over.
        let taken = (try? SystemCommand.run("/usr/sbin/ip", ["-o", "addr", "show"])) ?? ""
        var serial = 0
        var id = ""
        var subnet = ""
        for _ in 0..<250 {
            serial = Self.counter.withLock { value -> Int in
                value += 1
                return value
            }
            id = String(format: "%02x%02x", pid % 256, serial % 256)
            subnet = "10.\(100 + pid % 100).\(serial % 250)"
            if !taken.contains(" \(subnet).") && !taken.contains(" bb\(id) ") { break }
        }
        bridge = "bb\(id)"
        gateway = "\(subnet).254"
        var made: [String: Host] = [:]
        for (index, name) in names.enumerated() {
            made[name] = Host(name: name, namespace: "banshi-\(id)-\(name)", address: "\(subnet).\(index + 1)", link: "b\(id)\(index)")
        }
        hosts = made
        do {
            try Self.ip(["link", "add", bridge, "type", "bridge"])
            Leftovers.noteLink(bridge)
            try Self.ip(["addr", "add", "\(gateway)/24", "dev", bridge])
            try Self.ip(["link", "set", bridge, "up"])
            for (index, name) in names.enumerated() {
                let host = made[name]!
                let peer = "p\(id)\(index)"
                try Self.ip(["netns", "add", host.namespace])
                Leftovers.noteNamespace(host.namespace)
                try Self.ip(["link", "add", host.link, "type", "veth", "peer", "name", peer])
                // Deleting a namespace takes its end of the pair with it only once nothing holds the
                // namespace any more; deleting this end takes both at once.
                Leftovers.noteLink(host.link)
                try Self.ip(["link", "set", peer, "netns", host.namespace])
                try Self.ip(["-n", host.namespace, "link", "set", peer, "name", "eth0"])
                try Self.ip(["-n", host.namespace, "addr", "add", "\(host.address)/24", "dev", "eth0"])
                try Self.ip(["-n", host.namespace, "link", "set", "eth0", "up"])
                try Self.ip(["-n", host.namespace, "link", "set", "lo", "up"])
                try Self.ip(["link", "set", host.link, "master", bridge])
                try Self.ip(["link", "set", host.link, "up"])
            }
        } catch {
            remove()
            throw error
        }
    }

    public subscript(_ name: String) -> Host { hosts[name]! }

    /// Deletes the namespaces (and with them their veth pairs) and the bridge.
    public func remove() {
        let slowed = emulators.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for emulator in slowed { emulator.stop(ip: Self.ip) }
        for host in hosts.values {
            try? Self.ip(["netns", "delete", host.namespace])
            try? Self.ip(["link", "delete", host.link])
            Leftovers.forget(.namespace, host.namespace)
            Leftovers.forget(.link, host.link)
        }
        try? Self.ip(["link", "delete", bridge])
        Leftovers.forget(.link, bridge)
    }

    /// Cuts `host` off the bridge (its processes keep running, unreachable).
    public func cut(_ name: String) throws { try Self.ip(["link", "set", self[name].link, "down"]) }

    /// Puts `host` back on the bridge.
    public func heal(_ name: String) throws { try Self.ip(["link", "set", self[name].link, "up"]) }

    /// Adds `delay` and `loss` percent to every frame to and from `host`, in each direction: `tc netem`
    /// on both ends of its link where the kernel has `sch_netem`, else a `LinkEmulator` put between
    /// the link and the bridge (some container kernels are built without netem). Returns what was
    /// applied, for the test's output.
    @discardableResult
    public func slow(_ name: String, delayMilliseconds delay: Int, lossPercent loss: Double) throws -> String {
        let host = self[name]
        let netem = ["root", "netem", "delay", "\(delay)ms", "loss", "\(loss)%"]
        if (try? SystemCommand.run("/usr/sbin/tc", ["qdisc", "add", "dev", host.link] + netem)) != nil {
            try SystemCommand.run("/usr/sbin/ip", ["netns", "exec", host.namespace, "/usr/sbin/tc", "qdisc", "add", "dev", "eth0"] + netem)
            return "tc netem: delay \(delay) ms, loss \(loss) % each way"
        }
        let emulator = try LinkEmulator(
            link: host.link, bridge: bridge, tapName: "t" + host.link.dropFirst(), delay: .milliseconds(delay), loss: loss / 100,
            ip: Self.ip)
        emulators.withLock { $0[name] = emulator }
        return "a user-space link (this kernel has no sch_netem): delay \(delay) ms, loss \(loss) % each way"
    }

    /// Frames the user-space link of `host` has forwarded and dropped; nil where netem slows it, or
    /// nothing does.
    public func slowLinkCounts(_ name: String) -> (forwarded: Int, dropped: Int)? {
        emulators.withLock { $0[name] }.map { ($0.counts.forwarded, $0.counts.dropped) }
    }

    /// Takes the delay and loss away again.
    public func unslow(_ name: String) throws {
        if let emulator = emulators.withLock({ $0.removeValue(forKey: name) }) {
            emulator.stop(ip: Self.ip)
            return
        }
        let host = self[name]
        try SystemCommand.run("/usr/sbin/tc", ["qdisc", "del", "dev", host.link, "root"])
        try SystemCommand.run("/usr/sbin/ip", ["netns", "exec", host.namespace, "/usr/sbin/tc", "qdisc", "del", "dev", "eth0", "root"])
    }

    /// Whether this machine lets the tests make namespaces (root, iproute2), with the reason if not.
    public static func unavailableReason() -> String? {
        guard getuid() == 0 else { return "network namespaces need root" }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip"), FileManager.default.isExecutableFile(atPath: "/usr/sbin/tc") else {
            return "ip and tc (iproute2) are needed: scripts/setup.sh --test installs them"
        }
        return nil
    }

    private static func ip(_ arguments: [String]) throws { try SystemCommand.run("/usr/sbin/ip", arguments) }
}
