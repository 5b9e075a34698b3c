#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Lawyer

/// `banshi-lawyer --config PATH`: lawyer relations (检律同行). Its section is `[services.lawyer]`.
@main
struct LawyerMain {
    static func main() async {
        exit(await ServiceRuntime.main(LawyerService.definition))
    }
}
