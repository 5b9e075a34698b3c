#if canImport(Glibc)
import Glibc
#endif
import BanshiKit
import Reporting

/// `banshi-reporting --config PATH`: history, indicators, traces and reports. Its section is
/// `[services.reporting]`, with `follow` naming every service whose events it keeps.
@main
struct ReportingMain {
    static func main() async {
        exit(await ServiceRuntime.main(ReportingService.definition))
    }
}
