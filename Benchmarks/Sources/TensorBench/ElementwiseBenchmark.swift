import Foundation
import TensorCore

/// Throughput of TensorCore's generic elementwise paths on BERT-base activation sizes
/// ([32·128, 768] and [32·128, 3072]): contiguous binary, row broadcast (bias), strided copy
/// (head permute + contiguous), reductions, exp. GB/s counts bytes read + written once.
enum ElementwiseBenchmark {
    static func run() {
        print("\n## elementwise (load average \(loadAverage()))")
        var rng = RandomGenerator(seed: 2)
        for (rows, cols) in [(4096, 768), (4096, 3072)] {
            let a = Tensor.normal([rows, cols], generator: &rng)
            let b = Tensor.normal([rows, cols], generator: &rng)
            let bias = Tensor.normal([cols], generator: &rng)
            let heads = a.reshape([32, 128, 12, cols / 12])
            let n = Double(rows * cols) * 4
            let times = bestSeconds(rounds: 10, [
                { seconds { _ = a + b } },
                { seconds { _ = a + bias } },
                { seconds { _ = a * 0.5 } },
                { seconds { _ = heads.permute([0, 2, 1, 3]).contiguous() } },
                { seconds { _ = a.sum(axes: [0]) } },
                { seconds { _ = a.sum(axes: [1]) } },
                { seconds { _ = a.exp() } },
            ])
            let names = ["a + b", "a + bias[cols]", "a * scalar", "permute(0,2,1,3).contiguous", "sum(axis 0)", "sum(axis 1)", "exp"]
            let bytes = [3 * n, 2 * n, 2 * n, 2 * n, n, n, 2 * n]
            for i in names.indices {
                let label = "[\(rows), \(cols)] \(names[i])".padding(toLength: 44, withPad: " ", startingAt: 0)
                print(label + String(format: "%8.3f ms  %6.1f GB/s", times[i] * 1e3, bytes[i] / times[i] * 1e-9))
            }
        }
    }
}
