#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Enterprise

/// `banshi-enterprise --config PATH`: enterprise outreach and criminal compliance (检企亲清). Its
/// section is `[services.enterprise]`.
@main
struct EnterpriseMain {
    static func main() async {
        exit(await ServiceRuntime.main(EnterpriseService.definition))
    }
}
