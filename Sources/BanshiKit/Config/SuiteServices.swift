/// The suite's services: the one list that the units, the installer, banshictl, the config's start
/// order and the tests read. A new program is one entry here (plus its config section).
///
/// `banshictl services` prints it, so that shell scripts (`deploy/install.sh`,
/// `scripts/check-units.sh`) read the same list as the code.
public enum SuiteServices {
    /// One service of the suite.
    public struct Member: Sendable, Equatable {
        /// What a service is for: a public program, or the infrastructure the programs run on.
        public enum Kind: String, Sendable {
            case infrastructure, program
        }

        public let name: String
        public let kind: Kind
        /// One line for a person: what the service does.
        public let summary: String
        /// Whether it publishes events of its own (and so is followed by reporting).
        public let publishes: Bool

        public init(_ name: String, _ kind: Kind, publishes: Bool = true, _ summary: String) {
            self.name = name
            self.kind = kind
            self.publishes = publishes
            self.summary = summary
        }

        /// The executable: `banshi-<name>`.
        public var executable: String { "banshi-\(name)" }
    }

    /// Every service, in start order: the bus, the programs, then the coordinator and reporting.
    public static let all: [Member] = [
        Member("bus", .infrastructure, publishes: false, "the event bus: an XSUB/XPUB proxy"),
        Member("enterprise", .program, "enterprise outreach and criminal-compliance leniency (检企亲清)"),
        Member("lawyer", .program, "lawyer relations: practice rights, online file review, the task book, duty lawyers (检律同行)"),
        Member("children", .program, "the migrant children program (流动儿童 V计划)"),
        Member("petition", .program, "the 12309 window: guidelines, Q&A, petitions, judicial aid (12309 云窗口)"),
        Member("public-interest", .program, "ecology and food public-interest litigation: samples judged by the standards, leads, cases, evidence (公益诉讼)"),
        Member("coordinator", .infrastructure, "routes cross-cutting events into commands on other services"),
        Member("reporting", .infrastructure, publishes: false, "the event history, the programs' indicators, reports and metrics"),
    ]

    /// The repository's own test and benchmark sources (`banshi-loadgen`, `banshi-loadsink`): allowed in
    /// a configuration, never installed.
    public static let testSources = ["loadgen", "loadsink"]

    /// The names, in start order.
    public static var names: [String] { all.map(\.name) }

    /// The program services.
    public static var programs: [Member] { all.filter { $0.kind == .program } }

    /// The member named `name`.
    public static func member(_ name: String) -> Member? { all.first { $0.name == name } }
}
