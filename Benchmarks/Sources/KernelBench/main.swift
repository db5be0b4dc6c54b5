// Times the fused kernels forward + backward through the public Tensor API (graph recording,
// allocation from the buffer pool and gradient accumulation included), the same work as
// Scripts/bench_kernels_torch.py does in PyTorch. Run both with Scripts/bench_kernels_compare.sh.
//
//   cd Benchmarks && swift run -c release KernelBench [repeats]
//
// Prints one line per case: `<op> <shape> best <ms> median <ms>`.
import Foundation
import TensorCore

let repeats = CommandLine.arguments.count > 1 ? max(3, Int(CommandLine.arguments[1]) ?? 30) : 30

func milliseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

/// Best and median of `repeats` timed runs after 3 warm-up runs.
func measure(_ body: () -> Void) -> (best: Double, median: Double) {
    for _ in 0..<3 { body() }
    let times = (0..<repeats).map { _ in milliseconds(body) }.sorted()
    return (times[0], times[times.count / 2])
}

func report(_ op: String, _ shape: [Int], _ t: (best: Double, median: Double)) {
    let shapeText = shape.map(String.init).joined(separator: "x")
    print(String(format: "%@ %@ best %.3f median %.3f", op, shapeText, t.best, t.median))
}

var rng = RandomGenerator(seed: 0)
for shape in [[1024, 768], [96, 128, 128]] {
    let x = Parameter(Tensor.normal(shape, mean: 0, std: 1, generator: &rng))
    let g = Tensor.normal(shape, mean: 0, std: 1, generator: &rng)
    let n = shape.last!
    let weight = Parameter(Tensor.normal([n], mean: 1, std: 0.1, generator: &rng))
    let bias = Parameter(Tensor.normal([n], mean: 0, std: 0.1, generator: &rng))

    report("softmax", shape, measure {
        x.zeroGrad()
        x.value.softmax(axis: -1).backward(gradient: g)
    })
    report("layer_norm", shape, measure {
        x.zeroGrad(); weight.zeroGrad(); bias.zeroGrad()
        x.value.layerNorm(weight: weight.value, bias: bias.value, eps: 1e-12).backward(gradient: g)
    })
    report("gelu", shape, measure {
        x.zeroGrad()
        x.value.gelu().backward(gradient: g)
    })
    report("gelu_tanh", shape, measure {
        x.zeroGrad()
        x.value.gelu(approximation: .tanh).backward(gradient: g)
    })
}
