#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import PublicInterest

/// `banshi-public-interest --config PATH`: ecology and food public-interest litigation (公益诉讼). Its
/// section is `[services.public-interest]`.
@main
struct PublicInterestMain {
    static func main() async {
        exit(await ServiceRuntime.main(PublicInterestService.definition))
    }
}
