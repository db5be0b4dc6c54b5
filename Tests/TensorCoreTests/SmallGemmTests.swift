import CKernels
import Testing
import TensorCore

/// `ck_small_gemm` (the AVX-512 tiles where available), its AVX2 + FMA tiles (where this CPU has
/// them) and its portable loops against a Float64 product: sizes around the 8 × 32 and 6 × 16
/// tiles (full tiles, row and column tails), row- and column-major A, strided B and C, alpha,
/// beta 0 (C ignored, even if NaN) and beta 1.
@Suite struct SmallGemmTests {
    struct Shape: CustomStringConvertible, Sendable {
        var m, n, k: Int
        var columnMajorA: Bool
        var description: String { "\(m)x\(n)x\(k)\(columnMajorA ? " Aᵀ" : "")" }
    }

    static let shapes: [Shape] = [
        Shape(m: 8, n: 32, k: 16, columnMajorA: false), Shape(m: 128, n: 128, k: 64, columnMajorA: false),
        Shape(m: 37, n: 41, k: 19, columnMajorA: false), Shape(m: 1, n: 1, k: 1, columnMajorA: false),
        Shape(m: 13, n: 70, k: 5, columnMajorA: true), Shape(m: 64, n: 17, k: 128, columnMajorA: true),
        Shape(m: 3, n: 33, k: 0, columnMajorA: false), Shape(m: 6, n: 16, k: 9, columnMajorA: false),
        Shape(m: 7, n: 9, k: 33, columnMajorA: true), Shape(m: 12, n: 24, k: 4, columnMajorA: false),
        Shape(m: 5, n: 3, k: 7, columnMajorA: false),
    ]

    @Test(arguments: shapes, [Float(0), 1])
    func matchesFloat64(shape: Shape, beta: Float) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var rng = RandomGenerator(seed: UInt64(m * 1000 + n * 10 + k))
        let a = Tensor.uniform([m * k + 1], low: -1, high: 1, generator: &rng).toArray()
        let ldb = n + 3, ldc = n + 5
        let b = Tensor.uniform([max(k, 1) * ldb], low: -1, high: 1, generator: &rng).toArray()
        let c0 = Tensor.uniform([m * ldc], low: -1, high: 1, generator: &rng).toArray()
        let (ars, acs) = shape.columnMajorA ? (1, m) : (k, 1)
        let alpha: Float = 0.75
        var expected = [Double](repeating: 0, count: m * ldc)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += Double(a[i * ars + p * acs]) * Double(b[p * ldb + j]) }
                expected[i * ldc + j] = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j]))
            }
        }
        for path in ["dispatched", "portable", "avx2"] {
            // beta = 0 must not read C: start from NaN there.
            var c = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : c0
            let ran = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        let args = (Int64(m), Int64(n), Int64(k), alpha, pa.baseAddress, Int64(ars), Int64(acs),
                                    pb.baseAddress, Int64(ldb), beta, pc.baseAddress, Int64(ldc))
                        switch path {
                        case "portable": ck_small_gemm_portable(args.0, args.1, args.2, args.3, args.4, args.5, args.6,
                                                                args.7, args.8, args.9, args.10, args.11)
                        case "avx2": return ck_small_gemm_avx2(args.0, args.1, args.2, args.3, args.4, args.5, args.6,
                                                               args.7, args.8, args.9, args.10, args.11) == 1
                        default: ck_small_gemm(args.0, args.1, args.2, args.3, args.4, args.5, args.6,
                                               args.7, args.8, args.9, args.10, args.11)
                        }
                        return true
                    }
                }
            }
            guard ran else { continue }  // this CPU has no AVX2 + FMA: the path cannot run here
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    let got = Double(c[i * ldc + j])
                    worst = max(worst, got.isNaN ? .infinity : abs(got - expected[i * ldc + j]))
                }
                // Padding columns of C are never written.
                for j in n..<ldc where beta != 0 { #expect(c[i * ldc + j] == c0[i * ldc + j]) }
            }
            #expect(worst <= 1e-5 * Double(max(k, 1)), "\(shape) beta \(beta) \(path): max error \(worst)")
        }
    }
}
