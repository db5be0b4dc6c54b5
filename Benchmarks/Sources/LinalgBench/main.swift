// Times the Linalg ops forward + backward through the public API (Float32 tensors, Float64
// LAPACK inside, graph recording and gradient accumulation included), the same work as
// Scripts/bench_linalg_torch.py does with torch.linalg. Run both with Scripts/bench_linalg_compare.sh.
//
//   cd Benchmarks && swift run -c release LinalgBench [repeats]
//
// Prints one line per case: `<op> <shape> best <ms> median <ms>`.
import Foundation
import TensorCore

let repeats = CommandLine.arguments.count > 1 ? max(3, Int(CommandLine.arguments[1]) ?? 10) : 10

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

/// Best and median of `repeats` timed runs after 2 warm-up runs.
func measure(_ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
    for _ in 0..<2 { try body() }
    let times = try (0..<repeats).map { _ in try milliseconds(body) }.sorted()
    return (times[0], times[times.count / 2])
}

func report(_ op: String, _ shape: [Int], _ t: (best: Double, median: Double)) {
    let shapeText = shape.map(String.init).joined(separator: "x")
    print(String(format: "%@ %@ best %.3f median %.3f", op, shapeText, t.best, t.median))
}

nonisolated(unsafe) var rng = RandomGenerator(seed: 0)   // single-threaded benchmark
func normal(_ shape: [Int]) -> Tensor { Tensor.normal(shape, mean: 0, std: 1, generator: &rng) }
/// Well-conditioned square matrices: normal + n·I.
func square(_ shape: [Int]) -> Tensor {
    let n = shape.last!
    var eye = [Float](repeating: 0, count: n * n)
    for i in 0..<n { eye[i * n + i] = Float(n).squareRoot() * 2 }
    return normal(shape) + Tensor(eye, shape: [n, n])
}
/// Symmetric positive definite: x xᵀ / n + I.
func spd(_ n: Int) -> Tensor {
    let x = normal([n, n])
    var eye = [Float](repeating: 0, count: n * n)
    for i in 0..<n { eye[i * n + i] = 1 }
    return x.matmul(x.transposed()) / Float(n) + Tensor(eye, shape: [n, n])
}
/// Σ ⟨outputᵢ, gᵢ⟩ backpropagated: the same loss as the torch side.
func backward(_ outputs: [Tensor], _ grads: [Tensor]) {
    var loss = (outputs[0] * grads[0]).sum()
    for (o, g) in zip(outputs.dropFirst(), grads.dropFirst()) { loss = loss + (o * g).sum() }
    loss.backward()
}

do {
    for (n, k) in [(64, 16), (256, 64)] {
        let a = Parameter(square([n, n])), b = Parameter(normal([n, k])), g = normal([n, k])
        report("solve", [n, n, k], try measure { a.zeroGrad(); b.zeroGrad(); backward([try Linalg.solve(a.value, b.value)], [g]) })
    }
    let batched = Parameter(square([32, 32, 32])), gBatch = normal([32])
    report("slogdet", [32, 32, 32], try measure {
        batched.zeroGrad(); backward([try Linalg.slogdet(batched.value).logAbsDet], [gBatch])
    })
    let inv = Parameter(square([256, 256])), gInv = normal([256, 256])
    report("inv", [256, 256], try measure { inv.zeroGrad(); backward([try Linalg.inverse(inv.value)], [gInv]) })
    let c = Parameter(spd(256)), gC = normal([256, 256])
    report("cholesky", [256, 256], try measure { c.zeroGrad(); backward([try Linalg.cholesky(c.value)], [gC]) })
    let q = Parameter(normal([512, 128])), gQ = normal([512, 128]), gR = normal([128, 128])
    report("qr", [512, 128], try measure {
        q.zeroGrad(); let (qq, rr) = try Linalg.qr(q.value); backward([qq, rr], [gQ, gR])
    })
    let s = Parameter(normal([256, 128])), gU = normal([256, 128]), gS = normal([128]), gV = normal([128, 128])
    report("svd", [256, 128], try measure {
        s.zeroGrad(); let (u, sv, vh) = try Linalg.svd(s.value); backward([u, sv, vh], [gU, gS, gV])
    })
    report("svdvals", [256, 128], try measure { s.zeroGrad(); backward([try Linalg.svdvals(s.value)], [gS]) })
    let e = Parameter(spd(256)), gL = normal([256]), gE = normal([256, 256])
    report("eigh", [256, 256], try measure {
        e.zeroGrad(); let (l, v) = try Linalg.eigh(e.value); backward([l, v], [gL, gE])
    })
    let la = Parameter(normal([512, 64])), lb = Parameter(normal([512, 8])), gX = normal([64, 8])
    report("lstsq", [512, 64, 8], try measure {
        la.zeroGrad(); lb.zeroGrad(); backward([try Linalg.lstsq(la.value, lb.value)], [gX])
    })
} catch {
    print("LinalgBench: \(error)")
    exit(1)
}
