/// The options every service executable takes: `--config PATH`, `--help`, `--version`, and for
/// `banshi-bus` `--instance NAME` (which bus of the config this process is).
enum CommandLineOptions {
    enum Outcome: Equatable {
        case run(configPath: String, instance: String? = nil)
        case exit(status: Int32, text: String)
    }

    /// The config path used when `--config` is not given: the shipped single-host defaults.
    static let defaultConfigPath = "config/banshi.toml"

    static func parse(_ arguments: [String], program: String) -> Outcome {
        let usage = """
            usage: \(program) [--config PATH]
              --config PATH  the suite's TOML configuration (default: \(defaultConfigPath))
              --instance NAME  banshi-bus only: run the bus [buses.NAME] of the configuration (default: [bus])
              --version      print the version and exit
              --help         print this help and exit
            """
        var configPath = defaultConfigPath
        var instance: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--config":
                guard index + 1 < arguments.count else { return .exit(status: 2, text: "\(program): --config needs a path\n\(usage)") }
                configPath = arguments[index + 1]
                index += 2
            case "--instance":
                guard index + 1 < arguments.count else { return .exit(status: 2, text: "\(program): --instance needs a bus name\n\(usage)") }
                instance = arguments[index + 1]
                index += 2
            case _ where argument.hasPrefix("--config="):
                configPath = String(argument.dropFirst("--config=".count))
                index += 1
            case "--help", "-h":
                return .exit(status: 0, text: usage)
            case "--version":
                return .exit(status: 0, text: "\(program) \(BanshiVersion.current)")
            default:
                return .exit(status: 2, text: "\(program): unknown argument '\(argument)'\n\(usage)")
            }
        }
        return .run(configPath: configPath, instance: instance)
    }
}
