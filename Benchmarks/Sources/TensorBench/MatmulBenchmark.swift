import BenchBLAS
import Foundation
import TensorCore

/// GFLOP/s of Tensor.matmul / Tensor.linear against raw cblas_sgemm on BERT-base Linear shapes
/// (x [M, K] · Wᵀ with W stored [N, K] as Hugging Face does), forward and backward.
enum MatmulBenchmark {
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1024, 768, 768), (1024, 3072, 768), (1024, 768, 3072)]

    static func run(withTorch: Bool) {
        print("\n## matmul (load average \(loadAverage()))")
        print("shape M×N×K        | raw sgemm fwd | Tensor.matmul fwd | ratio | Tensor.linear+bias fwd | ratio | raw bwd (dX+dW) | Tensor bwd | ratio")
        var rows: [String: (forward: Double, backward: Double)] = [:]
        for (m, n, k) in shapes {
            var rng = RandomGenerator(seed: 1)
            let x = Tensor.normal([m, k], generator: &rng)
            let w = Tensor.normal([n, k], generator: &rng)
            let bias = Tensor.normal([n], generator: &rng)
            let g = Tensor.normal([m, n], generator: &rng)
            let flops = 2.0 * Double(m) * Double(n) * Double(k)
            let c = Tensor.zeros([m, n]), dx = Tensor.zeros([m, k]), dw = Tensor.zeros([n, k])

            let px = Parameter(x), pw = Parameter(w)
            // Raw: C = X·Wᵀ ; backward dX = G·W, dW = Gᵀ·X.
            let times = bestSeconds([
                { seconds {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(m), blasint(n), blasint(k), 1,
                                x.baseAddress, blasint(k), w.baseAddress, blasint(k), 0, c.baseAddress, blasint(n))
                } },
                { seconds { _ = x.matmul(w.transposed()) } },
                { seconds { _ = Tensor.linear(x, weight: w, bias: bias) } },
                { seconds {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(k), blasint(n), 1,
                                g.baseAddress, blasint(n), w.baseAddress, blasint(k), 0, dx.baseAddress, blasint(k))
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, blasint(n), blasint(k), blasint(m), 1,
                                g.baseAddress, blasint(n), x.baseAddress, blasint(k), 0, dw.baseAddress, blasint(k))
                } },
                {
                    // Backward of x.matmul(wᵀ) alone (graph built outside the timed region);
                    // includes handing the gradients to the parameters.
                    px.zeroGrad(); pw.zeroGrad()
                    let y = px.value.matmul(pw.value.transposed())
                    return seconds { y.backward(gradient: g) }
                },
            ])
            let (rawForward, tensorForward, linearForward, rawBackward, tensorBackward) = (times[0], times[1], times[2], times[3], times[4])
            let gf = { (t: Double, f: Double) in String(format: "%6.1f GF/s", f / t * 1e-9) }
            print(String(format: "%4d×%4d×%4d     | %@ | %@     | %4.0f%% | %@            | %4.0f%% | %@     | %@ | %4.0f%%",
                         m, n, k, gf(rawForward, flops), gf(tensorForward, flops), rawForward / tensorForward * 100,
                         gf(linearForward, flops), rawForward / linearForward * 100,
                         gf(rawBackward, 2 * flops), gf(tensorBackward, 2 * flops), rawBackward / tensorBackward * 100))
            rows["\(m)x\(n)x\(k)"] = (flops / tensorForward * 1e-9, 2 * flops / tensorBackward * 1e-9)
        }
        attention()
        if withTorch { compareWithTorch(rows) }
    }

    /// Runs Scripts/bench_matmul_torch.py (same shapes, same thread count) and prints the
    /// same-run ratios.
    static func compareWithTorch(_ ours: [String: (forward: Double, backward: Double)]) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Scripts/bench_matmul_torch.py").standardizedFileURL.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--threads", String(TensorCore.blasThreads)]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { print("torch comparison skipped: \(error)"); return }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else {
            print("torch comparison skipped: script exited with \(process.terminationStatus)")
            return
        }
        print("\nPyTorch \(text.split(separator: "\n").first ?? "")")
        print("shape M×N×K        | torch linear fwd | ours/torch | torch bwd | ours/torch")
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ")
            guard f.count == 3, let tf = Double(f[1]), let tb = Double(f[2]), let o = ours[String(f[0])] else { continue }
            print(String(format: "%@ | %6.1f GF/s      | %5.0f%%     | %6.1f GF/s | %5.0f%%",
                         String(f[0]).padding(toLength: 18, withPad: " ", startingAt: 0), tf, o.forward / tf * 100, tb, o.backward / tb * 100))
        }
    }

    /// Batched attention products of BERT-base at batch 32, sequence 128 (12 heads of 64):
    /// scores = Q·Kᵀ and context = P·V on permuted [B, H, T, D] views, forward and backward.
    static func attention() {
        let (b, t, h, d) = (32, 128, 12, 64)
        var rng = RandomGenerator(seed: 3)
        let q = Parameter(Tensor.normal([b, t, h, d], generator: &rng))
        let k = Parameter(Tensor.normal([b, t, h, d], generator: &rng))
        let p = Parameter(Tensor.uniform([b, h, t, t], generator: &rng))
        let gScores = Tensor.normal([b, h, t, t], generator: &rng)
        let gContext = Tensor.normal([b, h, t, d], generator: &rng)
        let flops = 2.0 * Double(b * h * t * t * d)
        let times = bestSeconds(rounds: 10, [
            { seconds { _ = q.value.permute([0, 2, 1, 3]).matmul(k.value.permute([0, 2, 3, 1])) } },
            { seconds { _ = p.value.matmul(k.value.permute([0, 2, 1, 3])) } },
            {
                q.zeroGrad(); k.zeroGrad()
                let s = q.value.permute([0, 2, 1, 3]).matmul(k.value.permute([0, 2, 3, 1]))
                return seconds { s.backward(gradient: gScores) }
            },
            {
                p.zeroGrad(); k.zeroGrad()
                let c = p.value.matmul(k.value.permute([0, 2, 1, 3]))
                return seconds { c.backward(gradient: gContext) }
            },
        ])
        print("attention B=\(b) T=\(t) H=\(h) D=\(d): "
              + String(format: "Q·Kᵀ fwd %.1f GF/s, P·V fwd %.1f GF/s, Q·Kᵀ bwd %.1f GF/s, P·V bwd %.1f GF/s",
                       flops / times[0] * 1e-9, flops / times[1] * 1e-9, 2 * flops / times[2] * 1e-9, 2 * flops / times[3] * 1e-9))
    }
}
