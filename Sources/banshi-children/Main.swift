#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Children

/// `banshi-children --config PATH`: the migrant children program. Its section is `[services.children]`.
@main
struct ChildrenMain {
    static func main() async {
        exit(await ServiceRuntime.main(ChildrenService.definition))
    }
}
