import Foundation
import Testing
import TensorCore

/// layerNorm: Float64 forward and backward references, gradient checks for x, weight, bias.
@Suite struct LayerNormOpTests {
    /// Float64 layer norm of `x` rows of width `n`, plus the gradients for upstream `g`.
    static func reference(x: [Float], weight: [Float]?, bias: [Float]?, g: [Float], n: Int, eps: Double)
        -> (y: [Double], dx: [Double], dw: [Double], db: [Double]) {
        let rows = x.count / n
        var y = [Double](repeating: 0, count: x.count), dx = y
        var dw = [Double](repeating: 0, count: n), db = dw
        for r in 0..<rows {
            let row = (0..<n).map { Double(x[r * n + $0]) }
            let mean = row.reduce(0, +) / Double(n)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            let rstd = 1 / (variance + eps).squareRoot()
            let xhat = row.map { ($0 - mean) * rstd }
            let gw = (0..<n).map { Double(g[r * n + $0]) * Double(weight?[$0] ?? 1) }
            let meanG = gw.reduce(0, +) / Double(n)
            let meanGX = zip(gw, xhat).map(*).reduce(0, +) / Double(n)
            for i in 0..<n {
                y[r * n + i] = xhat[i] * Double(weight?[i] ?? 1) + Double(bias?[i] ?? 0)
                dx[r * n + i] = rstd * (gw[i] - meanG - xhat[i] * meanGX)
                dw[i] += Double(g[r * n + i]) * xhat[i]
                db[i] += Double(g[r * n + i])
            }
        }
        return (y, dx, dw, db)
    }

    @Test(arguments: [(Float(1e-12), [4, 3, 10]), (Float(1e-5), [2, 33]), (Float(1e-5), [300, 257])])
    func forwardAndBackwardMatchFloat64(eps: Float, shape: [Int]) {
        let n = shape.last!
        let x = KernelCheck.uniform(shape, low: -3, high: 5, seed: 21)
        let w = KernelCheck.uniform([n], low: 0.5, high: 1.5, seed: 22)
        let b = KernelCheck.uniform([n], low: -0.2, high: 0.2, seed: 23)
        let g = KernelCheck.uniform(shape, low: -1, high: 1, seed: 24)
        let ref = Self.reference(x: x.toArray(), weight: w.toArray(), bias: b.toArray(), g: g.toArray(), n: n, eps: Double(eps))
        let px = Parameter(x), pw = Parameter(w), pb = Parameter(b)
        let y = px.value.layerNorm(weight: pw.value, bias: pb.value, eps: eps)
        KernelCheck.close(y, ref.y, shape: shape, absolute: 2e-6, relative: 2e-6, "y")
        y.backward(gradient: g)
        KernelCheck.close(px.grad!, ref.dx, absolute: 5e-6, relative: 1e-5, "dx")
        // Weight and bias gradients sum over many rows: allow for Float32 accumulation.
        KernelCheck.close(pw.grad!, ref.dw, absolute: 1e-4, relative: 1e-5, "dweight")
        KernelCheck.close(pb.grad!, ref.db, absolute: 1e-4, relative: 1e-5, "dbias")
    }

    @Test func withoutWeightAndBias() {
        let x = KernelCheck.uniform([5, 8])
        let ref = Self.reference(x: x.toArray(), weight: nil, bias: nil, g: [Float](repeating: 1, count: 40), n: 8, eps: 1e-5)
        KernelCheck.close(x.layerNorm(weight: nil, bias: nil), ref.y, absolute: 2e-6, relative: 2e-6, "y")
        KernelCheck.gradient("layerNorm x only", inputs: [KernelCheck.uniform([3, 6])]) {
            $0[0].layerNorm(weight: nil, bias: nil, eps: 1e-5)
        }
    }

    @Test func constantRowsAreFiniteWithTinyEps() {
        let x = Tensor.full([2, 16], value: 3)
        let y = x.layerNorm(weight: Tensor.ones([16]), bias: Tensor.zeros([16]), eps: 1e-12).toArray()
        #expect(y.allSatisfy { $0 == 0 })
    }

    @Test func gradientCheckAllInputs() {
        let shape = [3, 2, 6]
        KernelCheck.gradient("layerNorm x, weight, bias",
                             inputs: [KernelCheck.uniform(shape), KernelCheck.uniform([6], low: 0.5, high: 1.5),
                                      KernelCheck.uniform([6], low: -1, high: 1)]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-5)
        }
    }

    @Test func gradientCheckNonContiguousAndBroadcast() {
        let w = KernelCheck.uniform([4], low: 0.5, high: 1.5), b = KernelCheck.uniform([4], low: -1, high: 1)
        KernelCheck.gradient("layerNorm transposed", inputs: [KernelCheck.transposedInput([5, 4]), w, b]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-5)
        }
        KernelCheck.gradient("layerNorm sliced", inputs: [KernelCheck.slicedInput([3, 4]), w, b]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-5)
        }
        // Weight and bias given as sliced views of larger tensors.
        // Weight as a strided view (every other element of a [4, 2] tensor).
        let stridedWeight = KernelCheck.uniform([4, 2], low: 0.5, high: 1.5).narrow(axis: 1, start: 0, length: 1).squeeze(axis: 1)
        #expect(!stridedWeight.isContiguous)
        KernelCheck.gradient("layerNorm strided weight", inputs: [KernelCheck.uniform([3, 4]), stridedWeight]) {
            $0[0].layerNorm(weight: $0[1], bias: nil, eps: 1e-5)
        }
        KernelCheck.gradient("layerNorm broadcast input", inputs: [KernelCheck.uniform([1, 5]), KernelCheck.uniform([5], low: 0.5, high: 1.5)]) {
            $0[0].expand(to: [3, 5]).layerNorm(weight: $0[1], bias: nil, eps: 1e-5)
        }
    }

    @Test func residualFusedMatchesAddThenNormalise() {
        // 300 rows: several cores' chunks; with and without gradients (scratch-row path).
        let x = KernelCheck.uniform([3, 100, 24], seed: 31), r = KernelCheck.uniform([3, 100, 24], seed: 32)
        let w = KernelCheck.uniform([24], low: 0.5, high: 1.5, seed: 33), b = KernelCheck.uniform([24], low: -1, high: 1, seed: 34)
        let expected = (x + r).layerNorm(weight: w, bias: b, eps: 1e-12).toArray().map(Double.init)
        KernelCheck.close(withNoGrad { x.layerNorm(adding: r, weight: w, bias: b, eps: 1e-12) }, expected,
                          absolute: 1e-6, relative: 1e-6, "no grad")
        let (px, pr, pw, pb) = (Parameter(x), Parameter(r), Parameter(w), Parameter(b))
        let fused = px.value.layerNorm(adding: pr.value, weight: pw.value, bias: pb.value, eps: 1e-12)
        KernelCheck.close(fused, expected, absolute: 1e-6, relative: 1e-6, "recording")
        let (qx, qr, qw, qb) = (Parameter(x), Parameter(r), Parameter(w), Parameter(b))
        let plain = (qx.value + qr.value).layerNorm(weight: qw.value, bias: qb.value, eps: 1e-12)
        let g = KernelCheck.uniform([3, 100, 24], seed: 35)
        fused.backward(gradient: g)
        plain.backward(gradient: g)
        for (name, got, want) in [("x", px, qx), ("residual", pr, qr), ("weight", pw, qw), ("bias", pb, qb)] {
            KernelCheck.close(got.grad!, want.grad!.toArray().map(Double.init), absolute: 1e-5, relative: 1e-5, "d\(name)")
        }
    }

    @Test func residualFusedGradientCheck() {
        KernelCheck.gradient("layerNorm(adding:) x, residual, weight, bias",
                             inputs: [KernelCheck.uniform([4, 7]), KernelCheck.transposedInput([4, 7]),
                                      KernelCheck.uniform([7], low: 0.5, high: 1.5),
                                      KernelCheck.uniform([7], low: -1, high: 1)]) {
            $0[0].layerNorm(adding: $0[1], weight: $0[2], bias: $0[3], eps: 1e-5)
        }
    }
}
