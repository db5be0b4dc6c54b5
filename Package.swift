// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-bert",
    products: [
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "Tokenization", targets: ["Tokenization"]),
        .library(name: "BertKit", targets: ["BertKit"]),
        .library(name: "ParityTesting", targets: ["ParityTesting"]),
        .executable(name: "bert", targets: ["bert"]),
        .library(name: "BertDistributed", targets: ["BertDistributed"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // OpenBLAS (cblas.h) and LAPACKE (lapacke.h) as a system library.
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Vectorised C loops (elementwise, row kernels) with runtime CPU dispatch.
        .target(
            name: "CKernels",
            path: "Sources/CKernels"
        ),
        .target(
            name: "TensorCore",
            dependencies: ["CBLAS", "CKernels", "StrictJSON"],
            path: "Sources/TensorCore"
        ),
        .target(
            name: "Tokenization",
            dependencies: ["StrictJSON"],
            path: "Sources/Tokenization"
        ),
        // The strict JSON reader safetensors headers, tokenizer.json and JSONL fine-tuning files share (package access, no product).
        .target(
            name: "StrictJSON",
            path: "Sources/StrictJSON"
        ),
        .target(
            name: "BertKit",
            dependencies: ["TensorCore", "Tokenization", "StrictJSON"],
            path: "Sources/BertKit"
        ),
        .target(
            name: "ParityTesting",
            dependencies: ["TensorCore", "BertKit"],
            path: "Sources/ParityTesting"
        ),
        .executableTarget(
            name: "bert",
            dependencies: [
                "TensorCore", "Tokenization", "BertKit", "BertDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/bert"
        ),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], path: "Tests/TensorCoreTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization"], path: "Tests/TokenizationTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BertKitTests", dependencies: ["BertKit", "TensorCore", "Tokenization", "ParityTesting"],
                    path: "Tests/BertKitTests", resources: [.copy("Fixtures")]),
        .testTarget(name: "ParityTestingTests", dependencies: ["ParityTesting", "BertKit", "TensorCore"],
                    path: "Tests/ParityTestingTests", resources: [.copy("Fixtures")]),
        // Test helper: runs a TensorCore op with mismatched shapes in a child process, so a test
        // can read the message a release build prints (CheckedFailureTests).
        .executableTarget(name: "CheckProbe", dependencies: ["TensorCore"], path: "Tests/CheckProbe"),
        // Open MPI (Debian: libopenmpi-dev, pkg-config name ompi-c); only BertDistributed and the
        // bert tool need it, TensorCore/Tokenization/BertKit build without it.
        .systemLibrary(
            name: "CMPI",
            path: "Sources/CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        // Data-parallel training over MPI: bucketed gradient allreduce started from the
        // gradient-final hook, weight broadcast, start-up consistency checks.
        .target(name: "BertDistributed", dependencies: ["CMPI", "TensorCore", "BertKit"], path: "Sources/BertDistributed"),
        // Test helper: collective checks run under mpirun by BertDistributedTests.
        .executableTarget(name: "MPIProbe", dependencies: ["BertDistributed", "TensorCore"], path: "Tests/MPIProbe"),
        .testTarget(name: "BertDistributedTests", dependencies: ["BertDistributed", "BertKit", "TensorCore"],
                    path: "Tests/BertDistributedTests"),
    ],
    swiftLanguageModes: [.v6]
)
