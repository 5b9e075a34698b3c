import Foundation

/// Time the hypervisor gave this machine's CPUs to other guests: the `steal` column of `/proc/stat`.
///
/// On a shared virtual machine it is what tells a slow run from a slow build. While the host takes
/// the cores away every figure suffers, latency percentiles most.
enum HostSteal {
    /// Seconds of steal since boot, summed over the CPUs; `nil` where the kernel does not say.
    static func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        // cpu user nice system idle iowait irq softirq steal guest guest_nice, in clock ticks.
        let fields = line.split(separator: " ")
        guard fields.count > 8, let ticks = Double(fields[8]) else { return nil }
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
