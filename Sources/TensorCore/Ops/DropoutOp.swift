import CKernels

extension Tensor {
    /// Inverted dropout: zeroes each element with probability `probability` and scales the
    /// survivors by 1 / (1 - probability), so the expected value is unchanged.
    ///
    /// The mask is a pure function of one 64-bit seed drawn from `generator` and the element
    /// index (a counter-based hash), so the same generator state gives the same mask on any
    /// thread count, and the backward recomputes the mask instead of storing it.
    ///
    /// - Parameters:
    ///   - probability: drop probability in [0, 1].
    ///   - generator: advanced by one draw when dropout is applied.
    ///   - training: when false (or `probability == 0`) the input is returned unchanged and
    ///     `generator` is not advanced.
    /// - Returns: a tensor of the same shape.
    ///
    /// ```swift
    /// var rng = RandomGenerator(seed: 42)
    /// let h = x.dropout(probability: 0.1, generator: &rng)
    /// ```
    public func dropout(probability: Float, generator: inout RandomGenerator,
                        training: Bool = true) -> Tensor {
        check(probability >= 0 && probability <= 1,
                     "dropout: probability \(probability) is outside [0, 1] (input shape \(shape))")
        guard training, probability > 0 else { return self }
        let seed = generator.next()
        let x = detached().contiguous()
        let out = Tensor.empty(shape)
        Tensor.applyDropoutMask(from: x, into: out, seed: seed, probability: probability)
        guard Tensor.needsGradient(self) else { return out }
        let shape = self.shape
        return Tensor.record(op: "dropout", inputs: [self], output: out) { g in
            let gc = g.contiguous()
            let dx = Tensor.empty(shape)
            Tensor.applyDropoutMask(from: gc, into: dx, seed: seed, probability: probability)
            return [dx]
        }
    }

    /// `out = mask(seed) · source / (1 - p)` for contiguous tensors of equal count.
    static func applyDropoutMask(from source: Tensor, into out: Tensor, seed: UInt64, probability: Float) {
        let ps = UnsafePointer(source.baseAddress), po = out.baseAddress
        KernelParallel.forEachElementRange(count: out.count) { start, length in
            ck_dropout_apply(ps + start, po + start, Int64(length), Int64(start), seed, probability)
        }
    }
}
