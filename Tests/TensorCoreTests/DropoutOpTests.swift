import Testing
import TensorCore

/// dropout: determinism for a seed, keep rate and scale, identity cases, gradient = mask.
@Suite struct DropoutOpTests {
    @Test func sameSeedSameMaskDifferentSeedDifferentMask() {
        let x = Tensor.ones([64, 100])
        var g1 = RandomGenerator(seed: 1), g2 = RandomGenerator(seed: 1), g3 = RandomGenerator(seed: 2)
        let a = x.dropout(probability: 0.3, generator: &g1).toArray()
        let b = x.dropout(probability: 0.3, generator: &g2).toArray()
        let c = x.dropout(probability: 0.3, generator: &g3).toArray()
        #expect(a == b)
        #expect(a != c)
        #expect(g1 == g2, "the generator advances the same way")
        // The next call draws a new mask.
        #expect(x.dropout(probability: 0.3, generator: &g1).toArray() != a)
    }

    @Test(arguments: [Float(0.1), 0.5, 0.9])
    func keepRateAndScale(p: Float) {
        let n = 200_000  // multi-core path
        var rng = RandomGenerator(seed: 42)
        let y = Tensor.full([n], value: 2).dropout(probability: p, generator: &rng).toArray()
        let scale = 2 / (1 - p)
        #expect(y.allSatisfy { $0 == 0 || abs($0 - scale) <= 1e-6 * scale }, "survivors are scaled by 1/(1-p)")
        let kept = Double(y.filter { $0 != 0 }.count) / Double(n)
        // Binomial standard deviation is at most 0.0012 here; allow 5 sigma.
        #expect(abs(kept - Double(1 - p)) < 0.006, "keep rate \(kept) for p \(p)")
        let mean = y.reduce(0.0) { $0 + Double($1) } / Double(n)
        #expect(abs(mean - 2) < 0.05 * (1 + Double(p / (1 - p))), "expected value preserved: \(mean)")
    }

    @Test func maskDoesNotDependOnTheSplitAcrossCores() {
        // Same seed, small and large tensor: the first elements of the large one's mask equal
        // the small one's (the mask is a function of the element index).
        let g = RandomGenerator(seed: 77)
        var g1 = g, g2 = g
        let small = Tensor.ones([1000]).dropout(probability: 0.5, generator: &g1).toArray()
        let large = Tensor.ones([300_000]).dropout(probability: 0.5, generator: &g2).toArray()
        #expect(Array(large[0..<1000]) == small)
    }

    @Test func identityWhenNotTrainingOrZeroProbability() {
        let x = KernelCheck.uniform([4, 5])
        var rng = RandomGenerator(seed: 3)
        let before = rng
        #expect(x.dropout(probability: 0, generator: &rng).toArray() == x.toArray())
        #expect(x.dropout(probability: 0.5, generator: &rng, training: false).toArray() == x.toArray())
        #expect(rng == before, "identity dropout does not consume randomness")
        #expect(x.dropout(probability: 1, generator: &rng).toArray().allSatisfy { $0 == 0 })
    }

    @Test func gradientIsTheScaledMask() {
        let x = KernelCheck.uniform([8, 9])
        let p = Parameter(x)
        var rng = RandomGenerator(seed: 5)
        let y = p.value.dropout(probability: 0.4, generator: &rng)
        let g = KernelCheck.uniform([8, 9], seed: 6)
        y.backward(gradient: g)
        let yv = y.toArray(), xv = x.toArray(), gv = g.toArray(), dx = p.grad!.toArray()
        for i in 0..<yv.count {
            let kept = yv[i] != 0
            let expected = kept ? gv[i] / 0.6 : 0
            #expect(abs(dx[i] - expected) <= 1e-6 * (1 + abs(expected)), "element \(i): \(dx[i]) vs \(expected)")
            if kept { #expect(abs(yv[i] - xv[i] / 0.6) < 1e-6) }
        }
        // Finite differences through a fixed mask (a copy of the generator per evaluation).
        let seed = RandomGenerator(seed: 9)
        KernelCheck.gradient("dropout", inputs: [KernelCheck.transposedInput([4, 5])]) {
            var r = seed
            return $0[0].dropout(probability: 0.3, generator: &r)
        }
    }
}
