#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Petition

/// `banshi-petition --config PATH`: the 12309 window. Its section is `[services.petition]`.
@main
struct PetitionMain {
    static func main() async {
        exit(await ServiceRuntime.main(PetitionService.definition))
    }
}
