import CKernels

extension Tensor {
    /// Layer normalisation over the last axis: (x - mean) / sqrt(var + eps) · weight + bias,
    /// with the biased variance, as `torch.nn.functional.layer_norm(x, (n,), weight, bias, eps)`.
    ///
    /// One fused pass forward (saving only the per-row mean and 1/std for the backward) and one
    /// fused pass backward; weight and bias gradients are accumulated per core and summed in a
    /// fixed order.
    ///
    /// - Parameters:
    ///   - weight: scale of shape `[n]` (`n` = last dimension), or nil for 1.
    ///   - bias: shift of shape `[n]`, or nil for 0.
    ///   - eps: added to the variance (BERT uses 1e-12).
    /// - Returns: a tensor of the same shape as `self`.
    ///
    /// ```swift
    /// let h = x.layerNorm(weight: gamma, bias: beta, eps: 1e-12)   // [B, T, H]
    /// ```
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        layerNorm(residual: nil, weight: weight, bias: bias, eps: eps)
    }

    /// `(self + residual).layerNorm(weight:bias:eps:)` in one fused pass: each row's sum is
    /// normalised while it is still in cache (the post-LN residual block of BERT). The sum is
    /// written to memory only when a gradient needs it. Gradients flow to both addends
    /// (the same tensor), and to weight and bias.
    ///
    /// ```swift
    /// let h = attentionOutput.layerNorm(adding: hidden, weight: gamma, bias: beta, eps: 1e-12)  // [B, T, H]
    /// ```
    public func layerNorm(adding residual: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        check(residual.shape == shape,
                     "layerNorm(adding:): residual shape \(residual.shape) differs from input shape \(shape)")
        return layerNorm(residual: residual, weight: weight, bias: bias, eps: eps)
    }

    private func layerNorm(residual: Tensor?, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
        check(rank > 0, "layerNorm: needs at least one dimension, got shape \(shape)")
        let n = shape[rank - 1]
        if let weight {
            check(weight.shape == [n], "layerNorm: weight shape \(weight.shape) does not match input shape \(shape) (expected [\(n)])")
        }
        if let bias {
            check(bias.shape == [n], "layerNorm: bias shape \(bias.shape) does not match input shape \(shape) (expected [\(n)])")
        }
        let rows = n == 0 ? 0 : count / n
        var inputs = [self]
        if let residual { inputs.append(residual) }
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let recording = GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
        let addend = residual?.detached().contiguous()
        // The normalised input: self, or the sum (kept whole only when backward reads it).
        let x = addend == nil ? detached().contiguous() : Tensor.empty(recording ? shape : [KernelParallel.cores, n])
        let w = weight?.detached().contiguous()
        let b = bias?.detached().contiguous()
        let out = Tensor.empty(shape)
        let mean = Tensor.empty([rows])
        let rstd = Tensor.empty([rows])
        let px = UnsafePointer(x.baseAddress), py = out.baseAddress
        let pw = w.map { UnsafePointer($0.baseAddress) }, pb = b.map { UnsafePointer($0.baseAddress) }
        let pm = mean.baseAddress, pr = rstd.baseAddress
        if let addend {
            let sum = x.baseAddress, self0 = detached().contiguous()
            let pa = UnsafePointer(self0.baseAddress), pres = UnsafePointer(addend.baseAddress)
            withExtendedLifetime((self0, addend, x, w, b, mean, rstd)) {
                KernelParallel.forEachChunk(rows: rows, chunks: KernelParallel.chunkCount(rows: rows, rowSize: n)) { c, start, len in
                    // Whole sum when recording, else one scratch row per chunk.
                    let (ps, stride) = recording ? (sum + start * n, n) : (sum + c * n, 0)
                    ck_layer_norm_residual_forward(pa + start * n, pres + start * n, ps, Int64(stride), pw, pb,
                                                   py + start * n, pm + start, pr + start, Int64(len), Int64(n), eps)
                }
            }
        } else {
            withExtendedLifetime((x, w, b, mean, rstd)) {
                KernelParallel.forEachRowRange(rows: rows, rowSize: n) { start, len in
                    ck_layer_norm_forward(px + start * n, pw, pb, py + start * n, pm + start, pr + start,
                                          Int64(len), Int64(n), eps)
                }
            }
        }
        guard recording else { return out }
        let needX = requiresGrad || (residual?.requiresGrad ?? false)
        let needW = weight?.requiresGrad ?? false, needB = bias?.requiresGrad ?? false
        let hasResidual = residual != nil
        let hasWeight = weight != nil, hasBias = bias != nil
        let shape = self.shape
        return Tensor.record(op: "layer_norm", inputs: inputs, output: out) { g in
            let gc = g.contiguous()
            let chunks = KernelParallel.chunkCount(rows: rows, rowSize: n)
            let dx = needX ? Tensor.empty(shape) : nil
            // Per-chunk partial sums for dweight / dbias: [chunks, n] each, zero-filled.
            let partialW = needW ? Tensor.zeros([chunks, n]) : nil
            let partialB = needB ? Tensor.zeros([chunks, n]) : nil
            let px = UnsafePointer(x.baseAddress), pg = UnsafePointer(gc.baseAddress)
            let pw = w.map { UnsafePointer($0.baseAddress) }
            let pm = UnsafePointer(mean.baseAddress), pr = UnsafePointer(rstd.baseAddress)
            let pdx = dx?.baseAddress, pdw = partialW?.baseAddress, pdb = partialB?.baseAddress
            withExtendedLifetime((x, gc, w, mean, rstd)) {
                KernelParallel.forEachChunk(rows: rows, chunks: chunks) { c, start, len in
                    ck_layer_norm_backward(px + start * n, pg + start * n, pw, pm + start, pr + start,
                                           pdx.map { $0 + start * n }, pdw.map { $0 + c * n },
                                           pdb.map { $0 + c * n }, Int64(len), Int64(n))
                }
            }
            var grads: [Tensor?] = [dx]
            if hasResidual { grads.append(dx) }  // d(self + residual) reaches both addends
            if hasWeight { grads.append(partialW.map { Tensor.sumChunks($0) }) }
            if hasBias { grads.append(partialB.map { Tensor.sumChunks($0) }) }
            return grads
        }
    }

    /// Sums a contiguous `[chunks, n]` tensor of partial results over its first axis, in order.
    static func sumChunks(_ partial: Tensor) -> Tensor {
        let chunks = partial.shape[0], n = partial.shape[1]
        if chunks == 1 { return partial.reshape([n]) }
        let out = Tensor.empty([n])
        let p = partial.baseAddress, o = out.baseAddress
        o.update(from: p, count: n)
        for c in 1..<chunks {
            let row = p + c * n
            for i in 0..<n { o[i] += row[i] }
        }
        return out
    }
}
