#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Coordinator

/// `banshi-coordinator --config PATH`: the event-to-command router. Its section is
/// `[services.coordinator]`; its rules are in `routes_file` (config/routes.toml).
@main
struct CoordinatorMain {
    static func main() async {
        exit(await ServiceRuntime.main(CoordinatorService.definition))
    }
}
