import BanshiKit
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Delay and loss on one host's link, in user space, for kernels built without `sch_netem`.
///
/// The host's veth end leaves the bridge and a TAP device takes its place on it; a thread moves every
/// frame between the two, the veth through an `AF_PACKET` socket and the TAP through its descriptor.
/// Each frame is held `delay` in each direction and `loss` of them are dropped, as `tc netem delay D
/// loss L` on both ends of the link would; order is kept in each direction. Frames cross with their
/// virtio-net header, so that the kernel's large (GSO) TCP frames pass whole rather than being refused
/// by the bridge for exceeding the MTU. The processes on either side see only a slower, lossy link:
/// their addresses, MAC addresses and open connections stay as they were.
final class LinkEmulator: @unchecked Sendable {
    /// Frames moved and dropped so far, both directions together.
    struct Counts: Sendable {
        var forwarded = 0
        var dropped = 0
    }

    private let link: String
    private let bridge: String
    private let tapName: String
    private let delay: Duration
    private let loss: Double
    // The descriptors belong to the forwarding thread; `stop` signals it through the pipe and waits
    // for it to finish before it closes them.
    private let tap: Int32
    private let packet: Int32
    private let wake: (read: Int32, write: Int32)
    private let state = Mutex((stopping: false, counts: Counts()))
    private let finished = DispatchSemaphore(value: 0)

    /// Puts the emulated link between `link` (a veth end on `bridge`) and the bridge, and starts it.
    init(link: String, bridge: String, tapName: String, delay: Duration, loss: Double, ip: ([String]) throws -> Void) throws {
        self.link = link
        self.bridge = bridge
        self.tapName = tapName
        self.delay = delay
        self.loss = loss
        tap = try Self.openTap(named: tapName)
        do {
            packet = try Self.openPacketSocket(on: link)
        } catch {
            Glibc.close(tap)
            throw error
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            Glibc.close(tap)
            Glibc.close(packet)
            throw TestSuiteError("pipe failed: \(String(cString: strerror(errno)))")
        }
        wake = (pipeEnds[0], pipeEnds[1])
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        startThread(named: "link-emulator") { [self] in
            forward()
            finished.signal()
        }
        do {
            // The veth end answers no ARP of its own once it is off the bridge; the frames it carries
            // are the host's, for the bridge.
            try ip(["link", "set", tapName, "up"])
            try ip(["link", "set", link, "arp", "off"])
            try ip(["link", "set", link, "nomaster"])
            try ip(["link", "set", tapName, "master", bridge])
        } catch {
            stop(ip: ip)
            throw error
        }
    }

    var counts: Counts { state.withLock { $0.counts } }

    /// Stops forwarding, puts the veth end back on the bridge and removes the TAP device. Frames
    /// still held are dropped, as a link taken down would drop them.
    func stop(ip: ([String]) throws -> Void) {
        let first = state.withLock { value -> Bool in
            defer { value.stopping = true }
            return !value.stopping
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wake.write, &byte, 1)
        finished.wait()
        try? ip(["link", "set", link, "master", bridge])
        try? ip(["link", "set", link, "arp", "on"])
        for descriptor in [tap, packet, wake.read, wake.write] { Glibc.close(descriptor) }
    }

    /// The forwarding loop: frames in from either side, held until due, out to the other side.
    private func forward() {
        // [0]: from the host (the veth) to the bridge (the TAP); [1]: the other way.
        var held: [[(due: ContinuousClock.Instant, frame: [UInt8])]] = [[], []]
        var heads = [0, 0]
        var buffer = [UInt8](repeating: 0, count: 65_536 + 64)
        var fds = [
            pollfd(fd: packet, events: Int16(POLLIN), revents: 0),
            pollfd(fd: tap, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let now = ContinuousClock.now
            var timeout: Int32 = 200
            for direction in 0..<2 where heads[direction] < held[direction].count {
                let wait = held[direction][heads[direction]].due - now
                let milliseconds = max(0, Int32((wait / .milliseconds(1)).rounded(.up)))
                timeout = min(timeout, milliseconds)
            }
            for index in fds.indices { fds[index].revents = 0 }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno != EINTR { return }
            if fds[2].revents != 0 { return }
            var dropped = 0
            for direction in 0..<2 where fds[direction].revents != 0 {
                // Everything waiting on this side now, so that a burst is not taken one frame a poll.
                // A pending error (the veth taken down) is read too, which clears it.
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.read(fds[direction].fd, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    if Double.random(in: 0..<1) < loss {
                        dropped += 1
                    } else {
                        held[direction].append((ContinuousClock.now + delay, Array(buffer[0..<count])))
                    }
                }
            }
            var forwarded = 0
            let sendTime = ContinuousClock.now
            for direction in 0..<2 {
                let out = direction == 0 ? tap : packet
                while heads[direction] < held[direction].count, held[direction][heads[direction]].due <= sendTime {
                    _ = held[direction][heads[direction]].frame.withUnsafeBytes { Glibc.write(out, $0.baseAddress, $0.count) }
                    heads[direction] += 1
                    forwarded += 1
                }
                if heads[direction] > 1024 && heads[direction] * 2 > held[direction].count {
                    held[direction].removeFirst(heads[direction])
                    heads[direction] = 0
                }
            }
            if forwarded + dropped > 0 {
                state.withLock {
                    $0.counts.forwarded += forwarded
                    $0.counts.dropped += dropped
                }
            }
        }
    }

    // MARK: - The two ends

    private static let tunSetInterface: UInt = 0x4004_54CA  // TUNSETIFF
    private static let tapMode: Int16 = 0x0002  // IFF_TAP
    private static let noPacketInformation: Int16 = 0x1000  // IFF_NO_PI
    private static let virtioHeader: Int16 = 0x4000  // IFF_VNET_HDR
    private static let allProtocols = UInt16(0x0003).bigEndian  // ETH_P_ALL, network order
    private static let packetLevel: Int32 = 263  // SOL_PACKET
    private static let packetVirtioHeader: Int32 = 15  // PACKET_VNET_HDR
    private static let packetIgnoreOutgoing: Int32 = 23  // PACKET_IGNORE_OUTGOING

    /// A TAP device named `name` in this namespace, frames with their virtio-net header, non-blocking.
    /// It is removed when the descriptor is closed.
    private static func openTap(named name: String) throws -> Int32 {
        let descriptor = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw failure("open /dev/net/tun") }
        // struct ifreq: the name in its first 16 bytes, the flags (a short) right after.
        var request = [UInt8](repeating: 0, count: 40)
        for (index, byte) in name.utf8.prefix(15).enumerated() { request[index] = byte }
        let flags = tapMode | noPacketInformation | virtioHeader
        withUnsafeBytes(of: flags.littleEndian) { request.replaceSubrange(16..<18, with: $0) }
        let result = request.withUnsafeMutableBytes { ioctl(descriptor, tunSetInterface, $0.baseAddress!) }
        guard result == 0 else {
            let error = failure("TUNSETIFF \(name)")
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    /// A raw packet socket on `interface`: every frame it receives, not those sent through it, each
    /// with its virtio-net header.
    private static func openPacketSocket(on interface: String) throws -> Int32 {
        let descriptor = socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), Int32(allProtocols))
        guard descriptor >= 0 else { throw failure("socket(AF_PACKET)") }
        var one: Int32 = 1
        for option in [packetVirtioHeader, packetIgnoreOutgoing] {
            guard setsockopt(descriptor, packetLevel, option, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                let error = failure("setsockopt(SOL_PACKET, \(option))")
                Glibc.close(descriptor)
                throw error
            }
        }
        let index = if_nametoindex(interface)
        // struct sockaddr_ll: family (2 bytes), protocol (2, network order), interface index (4), then
        // fields bind does not read; 20 bytes in all.
        var address = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: UInt16(AF_PACKET)) { address.replaceSubrange(0..<2, with: $0) }
        withUnsafeBytes(of: allProtocols) { address.replaceSubrange(2..<4, with: $0) }
        withUnsafeBytes(of: Int32(index)) { address.replaceSubrange(4..<8, with: $0) }
        let bound = address.withUnsafeBytes {
            bind(descriptor, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
        }
        guard index != 0, bound == 0 else {
            let error = failure("bind AF_PACKET to \(interface)")
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    private static func failure(_ what: String) -> TestSuiteError {
        TestSuiteError("link emulator: \(what) failed: \(String(cString: strerror(errno)))")
    }
}
