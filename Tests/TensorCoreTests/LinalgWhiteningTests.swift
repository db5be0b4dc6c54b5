import Testing
import TensorCore

/// `Whitening` (BERT-whitening via Linalg.svd): on an anisotropic synthetic sample the whitened
/// vectors have zero mean and identity covariance over the kept directions, and gradients flow
/// through the fit (svd backward) to the sample.
@Suite struct LinalgWhiteningTests {
    /// 200 vectors in 6 dimensions with very different scales and an offset.
    static func sample() -> Tensor {
        let z = KernelCheck.uniform([200, 6], low: -1, high: 1, seed: 31)
        let mixing = KernelCheck.uniform([6, 6], low: -1, high: 1, seed: 32)
            * Tensor([5, 2, 1, 0.5, 0.2, 0.1], shape: [6, 1])
        return z.matmul(mixing) + 3
    }

    static func covariance(_ x: Tensor) -> Tensor {
        let centered = x - x.mean(axis: 0)
        return centered.transposed().matmul(centered) / Float(x.shape[0])
    }

    @Test(arguments: [6, 3])
    func whitenedSampleHasIdentityCovariance(components: Int) throws {
        let x = Self.sample()
        let whitening = try Whitening(fitting: x, components: components)
        let y = whitening(x)                                                   // [200, k]
        #expect(y.shape == [200, components])
        var identity = [Double](repeating: 0, count: components * components)
        for i in 0..<components { identity[i * components + i] = 1 }
        expectClose(Self.covariance(y), identity, tolerance: 1e-4, "covariance of the whitened sample")
        expectClose(y.mean(axis: 0), [Double](repeating: 0, count: components), tolerance: 1e-4, "mean")
        let s = whitening.spectrum.toArray()
        #expect(zip(s, s.dropFirst()).allSatisfy { $0 >= $1 }, "spectrum descending: \(s)")
    }

    @Test func gradientsReachTheSample() {
        let x = KernelCheck.uniform([12, 3], low: -1, high: 1, seed: 33) * Tensor([3, 1, 0.3], shape: [3])
        KernelCheck.gradient("whitening of its own sample (first direction)", inputs: [x], epsilon: 1e-3,
                             tolerance: 5e-3) { v in
            LinalgCheck.run {
                let w = try Whitening(fitting: v[0], components: 2)
                // Gauge-free quantity: squared whitened coordinates (sign of each direction cancels).
                return w(v[0]).square()
            }
        }
    }
}
