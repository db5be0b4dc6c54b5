import CKernels
import Dispatch

extension Tensor {
    /// Fused scaled dot-product attention: `softmax(scale · q·kᵀ + mask)`, dropout on the
    /// probabilities, then `· v` — one head at a time with the `Tq × Tk` scores kept in cache,
    /// so none of the `[B, A, Tq, Tk]` intermediates of the unfused composition are written to
    /// memory (only the probabilities, when asked for or needed by backward).
    ///
    /// Numerically this is `(query.matmul(key.transposed()) * scale + mask).softmax()` followed
    /// by `dropout(probability:)` and `.matmul(value)`; the dropout mask is the one
    /// ``dropout(probability:generator:training:)`` draws for the same seed over the contiguous
    /// probabilities. Gradients flow to `query`, `key` and `value`; the mask is a constant, and
    /// the returned probabilities are detached.
    ///
    /// - Parameters:
    ///   - query: [B, A, Tq, d] (any strides; a view such as `x.reshape([B, T, A, d]).permute([0, 2, 1, 3])` is read in place).
    ///   - key: [B, A, Tk, d].
    ///   - value: [B, A, Tk, d].
    ///   - mask: additive mask broadcastable to [B, A, Tq, Tk] (e.g. [B, 1, 1, Tk]), or nil.
    ///   - scale: multiplies q·kᵀ; default 1/√d.
    ///   - dropout: probability of dropping an attention weight (0: none).
    ///   - seed: the dropout stream (e.g. `generator.next()`); unused when `dropout` is 0.
    ///   - keepProbabilities: also return the (pre-dropout) probabilities.
    /// - Returns: `output` [B, A, Tq, d], stored as [B, Tq, A, d] so that
    ///   `output.permute([0, 2, 1, 3]).reshape([B, Tq, A·d])` is free; `probabilities`
    ///   [B, A, Tq, Tk] when `keepProbabilities`.
    ///
    /// ```swift
    /// let heads = { (x: Tensor) in x.reshape([b, t, a, d]).permute([0, 2, 1, 3]) }  // [B, A, T, d]
    /// let (context, _) = Tensor.scaledDotProductAttention(query: heads(q), key: heads(k), value: heads(v),
    ///                                                     mask: additiveMask)   // [B, A, T, d]
    /// let merged = context.permute([0, 2, 1, 3]).reshape([b, t, a * d])       // [B, T, H]
    /// ```
    public static func scaledDotProductAttention(
        query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, scale: Float? = nil,
        dropout: Float = 0, seed: UInt64 = 0, keepProbabilities: Bool = false
    ) -> (output: Tensor, probabilities: Tensor?) {
        let op = "scaledDotProductAttention"
        precondition(query.rank == 4 && key.rank == 4 && value.rank == 4,
                     "\(op): needs [B, A, T, d] operands, got shapes \(query.shape), \(key.shape), \(value.shape)")
        let (b, a, tq, d) = (query.shape[0], query.shape[1], query.shape[2], query.shape[3])
        let tk = key.shape[2]
        precondition(key.shape == [b, a, tk, d] && value.shape == key.shape,
                     "\(op): query \(query.shape), key \(key.shape) and value \(value.shape) do not match")
        precondition(dropout >= 0 && dropout <= 1, "\(op): dropout \(dropout) is outside [0, 1]")
        precondition(mask.map { !$0.requiresGrad } ?? true, "\(op): the mask must not require gradients")
        let q = query.detached().unitLastStride(), k = key.detached().unitLastStride()
        let v = value.detached().unitLastStride()
        let scores = [b, a, tq, tk]
        let maskStrides = mask.map { $0.broadcastStrides(to: scores, op: op) } ?? [0, 0, 0, 0]
        let maskValues = mask?.detached()

        let needsGrad = Tensor.needsGradient(query, key, value)
        let probabilities = keepProbabilities || needsGrad ? Tensor.empty(scores) : nil
        // Backward reads the dropped probabilities (their zeros are the dropout mask).
        let dropped = needsGrad && dropout > 0 ? Tensor.empty(scores) : nil
        let out = Tensor.headsMajorEmpty(b, a, tq, d)
        var problem = ck_attention_problem(
            batch: Int64(b), heads: Int64(a), tq: Int64(tq), tk: Int64(tk), d: Int64(d),
            q: q.ckHeads, k: k.ckHeads, v: v.ckHeads,
            mask: maskValues.map { UnsafePointer($0.baseAddress) },
            mask_sb: Int64(maskStrides[0]), mask_sh: Int64(maskStrides[1]),
            mask_si: Int64(maskStrides[2]), mask_sj: Int64(maskStrides[3]),
            scale: scale ?? 1 / Float(d).squareRoot(), dropout: dropout, seed: seed)
        if tk == 0 { ck_fill(out.baseAddress, 0, Int64(out.count)) }  // an empty sum
        let outHeads = out.ckHeads, probs = probabilities?.baseAddress, droppedValues = dropped?.baseAddress
        withExtendedLifetime((q, k, v, maskValues)) {
            forEachHeadRange(b * a, tq: tq, tk: tk, d: d) { begin, end, scratch in
                ck_attention_forward(&problem, Int64(begin), Int64(end), outHeads, probs, droppedValues, scratch)
            }
        }
        guard needsGrad, let saved = probabilities else {
            return (out, probabilities)
        }
        let savedProblem = UncheckedSendable(value: problem)
        let result = Tensor.record(op: op, inputs: [query, key, value], output: out) { g in
            let gc = g.unitLastStride()
            let dq = Tensor.headsMajorEmpty(b, a, tq, d)
            let dk = Tensor.headsMajorEmpty(b, a, tk, d), dv = Tensor.headsMajorEmpty(b, a, tk, d)
            if tk == 0 { ck_fill(dq.baseAddress, 0, Int64(dq.count)) }
            var p = savedProblem.value
            let heads = (g: gc.ckHeads, dq: dq.ckHeads, dk: dk.ckHeads, dv: dv.ckHeads)
            withExtendedLifetime((q, k, v, saved, dropped, gc)) {
                forEachHeadRange(b * a, tq: tq, tk: tk, d: d) { begin, end, scratch in
                    ck_attention_backward(&p, Int64(begin), Int64(end), UnsafePointer(saved.baseAddress),
                                          dropped.map { UnsafePointer($0.baseAddress) },
                                          heads.g, heads.dq, heads.dk, heads.dv, scratch)
                }
            }
            return [dq, dk, dv]
        }
        return (result, keepProbabilities ? saved : nil)
    }

    /// A [B, A, T, d] tensor stored as contiguous [B, T, A, d].
    private static func headsMajorEmpty(_ b: Int, _ a: Int, _ t: Int, _ d: Int) -> Tensor {
        Tensor.empty([b, t, a, d]).permute([0, 2, 1, 3]).detached()
    }

    /// This tensor, or a contiguous copy when its last dimension is not unit-stride.
    private func unitLastStride() -> Tensor {
        shape[rank - 1] <= 1 || strides[rank - 1] == 1 ? self : contiguousValues()
    }

    /// The C view of a [B, A, T, d] tensor with unit last stride.
    private var ckHeads: ck_heads {
        ck_heads(data: baseAddress, sb: Int64(strides[0]), sh: Int64(strides[1]), st: Int64(strides[2]))
    }

    /// Runs `body(begin, end, scratch)` over `heads` heads split across cores, each piece with
    /// its own scratch buffer.
    private static func forEachHeadRange(_ heads: Int, tq: Int, tk: Int, d: Int,
                                         _ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
        guard heads > 0, tq > 0, tk > 0 else { return }  // (tk = 0 is handled by the caller)
        let scratchCount = Int(ck_attention_scratch_floats(Int64(tq), Int64(tk), Int64(d)))
        let work = heads * tq * tk * Swift.max(d, 1)
        let chunks = Swift.max(1, Swift.min(KernelParallel.cores, heads, work / (1 << 16)))
        KernelParallel.forEachChunk(rows: heads, chunks: chunks) { _, start, count in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
            defer { scratch.deallocate() }
            body(start, start + count, scratch)
        }
    }
}
