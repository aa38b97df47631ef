// swift-tools-version:6.1
import PackageDescription

// librdkafka comes from the system when it is new enough, else from the project-local prefix that
// scripts/bootstrap builds. The rpath makes the binary load that copy at run time rather than an
// older system librdkafka.so.1 (bookworm ships 2.0.2, which cannot talk to current brokers).
// The flags are given whether or not the prefix exists yet (a missing directory is ignored): a
// manifest that asked the file system would be cached by SwiftPM, and a `swift build` run before
// scripts/bootstrap kept building without the prefix even after bootstrap had made it.
let localRdKafka = Context.packageDirectory + "/.deps/librdkafka"
let rdkafkaSwiftSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I\(localRdKafka)/include"])]
let rdkafkaLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-L\(localRdKafka)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(localRdKafka)/lib"])
]

let package = Package(
    name: "Resonance",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "resonance", targets: ["resonance"]),
        .library(name: "ResonanceModel", targets: ["ResonanceModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.7.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // librdkafka's C API. Only ResonanceKafka imports it.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // One inline function: the CPU's prefetch instruction, which Swift cannot express (the
        // model and the engine read ahead with it: InfluenceState+ReadAhead.swift).
        .systemLibrary(name: "CPrefetch"),
        // The scoring model: no Kafka, no files, no clock (its one C import is the prefetch).
        .target(name: "ResonanceModel", dependencies: ["CPrefetch"]),
        // A thin Swift client over librdkafka: the only code that touches C pointers.
        .target(
            name: "ResonanceKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        .target(
            name: "ResonanceEngine",
            dependencies: [
                "CPrefetch",
                "ResonanceModel",
                "ResonanceKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: rdkafkaSwiftSettings
        ),
        // The operator's surface: query API, health, metrics, dashboard and the services that
        // run the pipeline and the server under one lifecycle. Depends on the engine, never the
        // other way.
        .target(
            name: "ResonanceHTTP",
            dependencies: [
                "ResonanceEngine",
                "ResonanceModel",
                "ResonanceKafka",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftSettings
        ),
        // Validation: ranking metrics, baselines and the evaluation procedure. Depends on the model
        // and the engine (to replay data exactly as the scorer does); only the CLI depends on it.
        .target(
            name: "ResonanceEvaluation",
            dependencies: ["ResonanceEngine", "ResonanceModel"],
            swiftSettings: rdkafkaSwiftSettings
        ),
        .executableTarget(
            name: "resonance",
            dependencies: [
                "ResonanceEngine",
                "ResonanceEvaluation",
                "ResonanceHTTP",
                "ResonanceKafka",
                "ResonanceModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        .testTarget(name: "ResonanceModelTests", dependencies: ["ResonanceModel"]),
        .testTarget(
            name: "ResonanceKafkaTests",
            dependencies: ["ResonanceKafka"],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        .testTarget(
            name: "ResonanceEngineTests",
            dependencies: [
                "ResonanceTestSupport", "ResonanceEngine", "ResonanceModel", "ResonanceKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            // Files the tests read by path (TestPaths), not bundled resources.
            exclude: ["Fixtures"],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        // What the broker and executable tests share: the test broker, temporary directories,
        // the resonance executable as a subprocess, paths into the package.
        .target(
            name: "ResonanceTestSupport",
            dependencies: [
                "ResonanceEngine", "ResonanceModel", "ResonanceKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ResonanceTestSupport",
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        // The resonance executable as users run and deploy it: its commands, crashes and
        // restarts, and the Deploy/ manifests.
        .testTarget(
            name: "ResonanceCLITests",
            dependencies: [
                "ResonanceTestSupport", "ResonanceEngine", "ResonanceModel", "ResonanceKafka",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        .testTarget(
            name: "ResonanceEvaluationTests",
            dependencies: ["ResonanceEvaluation", "ResonanceEngine", "ResonanceModel"],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
        .testTarget(
            name: "ResonanceHTTPTests",
            dependencies: [
                "ResonanceHTTP",
                "ResonanceEngine",
                "ResonanceModel",
                "ResonanceKafka",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftSettings,
            linkerSettings: rdkafkaLinkerSettings
        ),
    ]
)
