// swift-tools-version: 6.1
// A package that uses swift-bert the way the README says, to prove that it works: the
// dependency and the products below are the README's "Use it as a dependency" snippet (with the
// path of this checkout), and each program's main.swift contains one Swift code block of the
// README, verbatim (Scripts/check_readme_blocks.py checks both), followed by code that prints the
// results as one JSON line (Scripts/check_readme_output.py compares them with
// Tests/BertKitTests/Fixtures/readme_reference.json). Built and run in debug by Scripts/test.sh
// through Scripts/run_downstream.sh.
import PackageDescription

let package = Package(
    name: "Downstream",
    dependencies: [
        .package(name: "swift-bert", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "MyApp", dependencies: [
            .product(name: "BertKit", package: "swift-bert"),
            .product(name: "Tokenization", package: "swift-bert"),
            .product(name: "TensorCore", package: "swift-bert"),
        ]),
        .executableTarget(name: "TrainingLoop", dependencies: [.product(name: "TensorCore", package: "swift-bert")]),
        .executableTarget(name: "TokenizerExample", dependencies: [.product(name: "Tokenization", package: "swift-bert")]),
        .executableTarget(name: "BLASSettings", dependencies: [.product(name: "TensorCore", package: "swift-bert")]),
        .executableTarget(name: "ParityExample", dependencies: [
            .product(name: "ParityTesting", package: "swift-bert"), .product(name: "BertKit", package: "swift-bert"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
