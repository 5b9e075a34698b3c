import BanshiKit
import Children
import Foundation

/// `banshi-children --config PATH`: the migrant children program. Its section is `[services.children]`.
@main
struct ChildrenMain {
    static func main() async {
        exit(await ServiceRuntime.main(ChildrenService.definition))
    }
}
