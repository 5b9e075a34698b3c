// swift-tools-version:6.2
import PackageDescription

/// Tools 6.2 means Swift 6 language mode, so strict concurrency checking is on for every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Banshi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "banshi-bus", targets: ["banshi-bus"]),
        .executable(name: "banshictl", targets: ["banshictl"]),
        .executable(name: "banshi-enterprise", targets: ["banshi-enterprise"]),
        .executable(name: "banshi-lawyer", targets: ["banshi-lawyer"]),
        .executable(name: "banshi-public-interest", targets: ["banshi-public-interest"]),
        .executable(name: "banshi-children", targets: ["banshi-children"]),
        .executable(name: "banshi-petition", targets: ["banshi-petition"]),
        .executable(name: "banshi-coordinator", targets: ["banshi-coordinator"]),
        .executable(name: "banshi-reporting", targets: ["banshi-reporting"]),
        .executable(name: "banshi-loadgen", targets: ["banshi-loadgen"]),
        .executable(name: "banshi-loadsink", targets: ["banshi-loadsink"]),
        // A test's LD_PRELOAD library (Sources/SlowPoll), built beside the executables.
        .library(name: "BanshiSlowPoll", type: .dynamic, targets: ["SlowPoll"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZeroMQ",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(
            name: "ZeroMQ",
            dependencies: ["CZeroMQ"],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "SQLiteWALBuffer",
            dependencies: ["CSQLite"]
        ),
        .target(
            name: "SlowPoll",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(
            name: "SQLite",
            dependencies: ["CSQLite", "SQLiteWALBuffer"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BanshiKit",
            dependencies: [
                "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "SQLite",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Bus",
            dependencies: ["BanshiKit", "ZeroMQ"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-bus",
            dependencies: ["Bus", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Enterprise",
            dependencies: ["BanshiKit", "SQLite"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-enterprise",
            dependencies: ["Enterprise", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Lawyer",
            dependencies: ["BanshiKit", "SQLite"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-lawyer",
            dependencies: ["Lawyer", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PublicInterest",
            dependencies: ["BanshiKit", "SQLite"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-public-interest",
            dependencies: ["PublicInterest", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Children",
            dependencies: [
                "BanshiKit", "ZeroMQ", "SQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-children",
            dependencies: ["Children", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Petition",
            dependencies: [
                "BanshiKit", "SQLite",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-petition",
            dependencies: ["Petition", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Coordinator",
            dependencies: [
                "BanshiKit", "ZeroMQ", "SQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-coordinator",
            dependencies: ["Coordinator", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Reporting",
            dependencies: [
                "BanshiKit", "Enterprise", "Lawyer", "Children", "Petition", "PublicInterest", "Coordinator", "SQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-reporting",
            dependencies: ["Reporting", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-loadgen",
            dependencies: ["BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-loadsink",
            dependencies: ["BanshiKit", "SQLite"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshictl",
            dependencies: [
                "BanshiKit",
                "ZeroMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banshi-bench",
            dependencies: [
                "BanshiKit", "BanshiTesting", "ZeroMQ", "SQLite",
            ],
            path: "bench/banshi-bench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BanshiTesting",
            dependencies: ["BanshiKit", "ZeroMQ"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SQLiteTests",
            dependencies: ["SQLite", "BanshiTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ZeroMQTests",
            dependencies: ["ZeroMQ"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BanshiKitTests",
            dependencies: ["BanshiKit", "BanshiTesting", "ZeroMQ", "SQLite"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChildrenTests",
            dependencies: ["Children", "BanshiKit", "BanshiTesting", "SQLite"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EnterpriseTests",
            dependencies: ["Enterprise", "BanshiKit", "BanshiTesting"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LawyerTests",
            dependencies: ["Lawyer", "BanshiKit", "BanshiTesting", "SQLite"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PublicInterestTests",
            dependencies: ["PublicInterest", "BanshiKit", "BanshiTesting"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PetitionTests",
            dependencies: ["Petition", "BanshiKit", "BanshiTesting", "SQLite"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinatorTests",
            dependencies: ["Coordinator", "BanshiKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReportingTests",
            dependencies: [
                "Reporting", "BanshiKit", "BanshiTesting", "Enterprise", "Lawyer", "Children", "Petition", "PublicInterest",
                "SQLite",
            ],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SystemTests",
            dependencies: [
                "BanshiKit", "BanshiTesting", "ZeroMQ", "Enterprise", "Lawyer", "Children", "PublicInterest", "Petition", "Coordinator", "Reporting",
                "SQLite",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
