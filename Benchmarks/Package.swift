// swift-tools-version: 6.1
// Benchmarks live in their own package so library users never pull benchmark dependencies.
// Run from this directory: swift run -c release <target> (see Docs/PERFORMANCE.md).
import PackageDescription

let package = Package(
    name: "Benchmarks",
    dependencies: [
        .package(name: "swift-bert", path: ".."),
    ],
    targets: [
        // Raw OpenBLAS for baselines (the library's CBLAS target is not a product).
        .systemLibrary(name: "BenchBLAS", path: "Sources/BenchBLAS", pkgConfig: "openblas"),
        .executableTarget(
            name: "TensorBench",
            dependencies: [.product(name: "TensorCore", package: "swift-bert"), "BenchBLAS"],
            path: "Sources/TensorBench"
        ),
        .executableTarget(
            name: "TokenizerBench",
            dependencies: [.product(name: "Tokenization", package: "swift-bert")],
            path: "Sources/TokenizerBench"
        ),
        .executableTarget(
            name: "OptimBench",
            dependencies: [.product(name: "TensorCore", package: "swift-bert")],
            path: "Sources/OptimBench"
        ),
        .executableTarget(
            name: "KernelBench",
            dependencies: [.product(name: "TensorCore", package: "swift-bert")],
            path: "Sources/KernelBench"
        ),
        .executableTarget(
            name: "LinalgBench",
            dependencies: [.product(name: "TensorCore", package: "swift-bert")],
            path: "Sources/LinalgBench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
