// Optimizer, clipping and safetensors timings on BERT-base-sized parameters (109.5M floats in
// the 199 tensors of BertModel). Compare with Scripts/bench_optim.py in the same session:
//   cd Benchmarks && swift run -c release OptimBench [steps] [minilm-dir]
import Foundation
import TensorCore

/// Parameter shapes of BERT-base (`BertModel` with pooler), in `namedParameters` order.
func bertBaseShapes() -> [(String, [Int])] {
    let h = 768, ffn = 3072
    var shapes: [(String, [Int])] = [
        ("embeddings.word_embeddings.weight", [30522, h]), ("embeddings.position_embeddings.weight", [512, h]),
        ("embeddings.token_type_embeddings.weight", [2, h]),
        ("embeddings.LayerNorm.weight", [h]), ("embeddings.LayerNorm.bias", [h]),
    ]
    for l in 0..<12 {
        let p = "encoder.layer.\(l)."
        for m in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
            shapes += [(p + m + ".weight", [h, h]), (p + m + ".bias", [h])]
        }
        shapes += [(p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
                   (p + "intermediate.dense.weight", [ffn, h]), (p + "intermediate.dense.bias", [ffn]),
                   (p + "output.dense.weight", [h, ffn]), (p + "output.dense.bias", [h]),
                   (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h])]
    }
    shapes += [("pooler.dense.weight", [h, h]), ("pooler.dense.bias", [h])]
    return shapes
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func time(_ label: String, steps: Int, _ body: () -> Void) {
    body()  // warm up: allocates optimizer state
    var samples: [Double] = []
    for _ in 0..<steps {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    let padded = label.padding(toLength: 40, withPad: " ", startingAt: 0)
    print(padded + String(format: " median %8.1f ms  (min %.1f, %d runs)", median(samples), samples.min()!, steps))
}

let arguments = CommandLine.arguments
let steps = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
var generator = RandomGenerator(seed: 1)
let named = bertBaseShapes().map { name, shape in
    let parameter = Parameter(Tensor.uniform(shape, low: -0.05, high: 0.05, generator: &generator), name: name)
    parameter.grad = Tensor.uniform(shape, low: -1e-3, high: 1e-3, generator: &generator)
    return (name, parameter)
}
let total = named.reduce(0) { $0 + $1.1.value.count }
print("BERT-base parameters: \(named.count) tensors, \(total) floats; OpenBLAS threads \(TensorCore.blasThreads)")
let groups = ParameterGroup.excludingWeightDecay(named, learningRate: 1e-4, weightDecay: 0.01)
let parameters = named.map(\.1)

time("clipGradNorm (max 1e9, no-op scale)", steps: steps) { clipGradNorm(parameters, maxNorm: 1e9) }
let adamW = AdamW(groups)
let before = named[0].1.value.toArray()
time("AdamW.step", steps: steps) { adamW.step() }
let after = named[0].1.value.toArray()
let changed = zip(before, after).filter { $0 != $1 }.count
print("  (sanity: \(changed) of \(before.count) word-embedding values changed over \(steps + 1) AdamW steps)")
let adam = Adam(groups)
time("Adam.step (L2 decay)", steps: steps) { adam.step() }
let google = AdamWeightDecay(groups)
time("AdamWeightDecay.step", steps: steps) { google.step() }
let lamb = LAMB(groups)
time("LAMB.step", steps: steps) { lamb.step() }
let sgd = SGD(groups, momentum: 0.9)
time("SGD(momentum 0.9).step", steps: steps) { sgd.step() }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optimbench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let statePath = directory.appendingPathComponent("adamw.safetensors").path
time("AdamW.saveState (880 MB)", steps: max(1, steps / 2)) { try! adamW.saveState(to: statePath) }
time("AdamW.loadState (880 MB)", steps: max(1, steps / 2)) { try! adamW.loadState(from: statePath) }

if arguments.count > 2 {
    let path = arguments[2] + "/model.safetensors"
    time("SafetensorsFile.tensors (MiniLM)", steps: steps) { _ = try! SafetensorsFile(path: path).tensors() }
}
