// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between clones (`main`, CI's own
// folder), so it is derived rather than spelled out.
let rootIdentity = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().lastPathComponent.lowercased()

// Benchmarks live in their own package so that `swift build` and `swift test` of Resonance stay
// lean: ordo-one/benchmark and its dependencies take minutes to compile on a 2-core machine.
let package = Package(
    name: "ResonanceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The MallocInterposer trait is what makes malloc counting work on this toolchain; naming
        // the trait list also leaves out the Linux runtime interposer, which does not build here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ModelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ResonanceModel", package: rootIdentity),
            ],
            path: "Benchmarks/ModelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Memory per tracked user and snapshot timings at 1M and 10M users (a plain executable:
        // the benchmark harness measures per iteration, this measures one large build).
        .executableTarget(
            name: "MemoryFootprint",
            dependencies: [.product(name: "ResonanceModel", package: rootIdentity)],
            path: "Sources/MemoryFootprint"
        ),
    ]
)
