#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Bus

/// `banshi-bus --config PATH`: the suite's event bus.
@main
struct BusMain {
    static func main() async {
        exit(await ServiceRuntime.main(Bus.definition))
    }
}
