#if canImport(Glibc)
import Glibc
#endif

/// How glibc's allocator keeps freed memory in a service that writes a database.
///
/// By default glibc hands the free top of a heap back to the system as soon as it passes 128 KiB, and
/// the next allocations fault the same pages in again. A write command frees what the one before it
/// allocated, so under load the writer's heap shrank and grew with every transaction: a tenth of the
/// lawyer and public-interest services' time went to page faults, and their commands' maximum rate
/// rose by a fifth with the settings below (docs/benchmarks.md). Such a service now keeps up to 16 MiB
/// free at a heap's top and grows a heap 4 MiB at a time. The bus is left as it is: it forwards
/// without a database, and must give back at once what a stalled subscriber held.
public enum AllocatorTuning {
    /// glibc's `mallopt` parameters (`<malloc.h>`).
    private static let trimThreshold: Int32 = -1
    private static let topPad: Int32 = -2

    /// Applies the settings; call once at start, before the service's threads allocate much.
    public static func apply() {
        guard let mallopt = glibcFunction("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self) else { return }
        _ = mallopt(trimThreshold, 16 << 20)
        _ = mallopt(topPad, 4 << 20)
    }

    /// A glibc function looked up at run time: Swift's Glibc module does not import `<malloc.h>`, and
    /// another C library simply has none (the caller then does nothing).
    static func glibcFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
