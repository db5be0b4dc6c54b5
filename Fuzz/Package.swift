// swift-tools-version: 6.1
// libFuzzer targets for swift-bert's parsers of outside input. Not a product: build and run
// them with Scripts/fuzz.sh, which passes -sanitize=fuzzer,address (SwiftPM's own
// --sanitize=fuzzer --sanitize=address keeps only the last flag and silently loses coverage).
// Each target's main.swift hands its callback to libFuzzer (FuzzSupport.runFuzzer).
import PackageDescription

let fuzzTargets = [
    "FuzzSafetensors", "FuzzConfig", "FuzzVocab", "FuzzTokenizerJSON", "FuzzEncode",
    "FuzzPretrainingText", "FuzzInstanceLines", "FuzzShard", "FuzzClassificationTSV", "FuzzCoNLL", "FuzzMultipleChoice",
    "FuzzSquad",
]

let package = Package(
    name: "swift-bert-fuzz",
    dependencies: [.package(name: "swift-bert", path: "..")],
    targets: [.target(name: "FuzzSupport", path: "Sources/FuzzSupport")] + fuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "FuzzSupport",
                .product(name: "TensorCore", package: "swift-bert"),
                .product(name: "Tokenization", package: "swift-bert"),
                .product(name: "BertKit", package: "swift-bert"),
            ],
            path: "Sources/\(name)")
    },
    swiftLanguageModes: [.v6]
)
