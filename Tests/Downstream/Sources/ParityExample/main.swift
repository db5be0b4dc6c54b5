import BertKit
import Foundation
import Testing  // the README block is for a test target, whose files import Testing (expectParity needs it)

// ---- Not in the README: the model and the dump the README block compares, both committed
// fixtures of this repository (a tiny BERT and the transformers dump Scripts/dump_reference.py
// wrote for it). The argument is the repository's Tests folder (Scripts/run_downstream.sh).
let tests = URL(fileURLWithPath: CommandLine.arguments[1])
let model = try BertModelDirectory(tests.appendingPathComponent("BertKitTests/Fixtures/tiny_gelu")).loadBertModel()
let dumpURL = tests.appendingPathComponent("ParityTestingTests/Fixtures/dump_tiny_model.safetensors")

import ParityTesting   // .product(name: "ParityTesting", package: "swift-bert") in a test target

let report = try ReferenceComparison(model, try ReferenceDump(contentsOf: dumpURL))
expectParity(report)   // "first divergence: encoder layer 1 output (hidden_states.2)" …

// ---- Not in the README: print the results for Scripts/check_readme_output.py.
print("{\"program\":\"ParityExample\",\"passed\":\(report.passed),\"stages\":\(report.stages.count)}")
