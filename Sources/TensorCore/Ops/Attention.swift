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
        check(query.rank == 4 && key.rank == 4 && value.rank == 4,
                     "\(op): needs [B, A, T, d] operands, got shapes \(query.shape), \(key.shape), \(value.shape)")
        let (b, a, tq, d) = (query.shape[0], query.shape[1], query.shape[2], query.shape[3])
        let tk = key.shape[2]
        check(key.shape == [b, a, tk, d] && value.shape == key.shape,
                     "\(op): query \(query.shape), key \(key.shape) and value \(value.shape) do not match")
        let needsGrad = Tensor.needsGradient(query, key, value)
        let run = AttentionRun(q: query.detached().unitLastStride(), k: key.detached().unitLastStride(),
                               v: value.detached().unitLastStride(), mask: mask, scale: scale, dropout: dropout,
                               seed: seed, keepProbabilities: keepProbabilities, needsGrad: needsGrad, op: op)
        guard needsGrad else { return (run.output, run.probabilities) }
        let result = Tensor.record(op: op, inputs: [query, key, value], output: run.output) { g in
            let dq = Tensor.headsMajorEmpty(b, a, tq, d)
            let dk = Tensor.headsMajorEmpty(b, a, tk, d), dv = Tensor.headsMajorEmpty(b, a, tk, d)
            run.backward(g, dq: dq, dk: dk, dv: dv)
            return [dq, dk, dv]
        }
        return (result, keepProbabilities ? run.probabilities : nil)
    }

    /// ``scaledDotProductAttention(query:key:value:mask:scale:dropout:seed:keepProbabilities:)``
    /// for self-attention with the three projections packed in one tensor, as one
    /// `Linear(H, 3·H)` (or a concatenation of the query, key and value weights) produces them:
    /// its gradient is written into one [B, T, 3·H] buffer, so backward runs a single sgemm
    /// for the input gradient of all three projections.
    ///
    /// - Parameters:
    ///   - packed: [B, T, 3·A·d]: queries, then keys, then values along the last axis, each
    ///     split into `heads` heads of size d.
    ///   - heads: number of heads A.
    /// - Returns: the merged context [B, T, A·d] and, when asked, probabilities [B, A, T, T].
    ///
    /// ```swift
    /// let w = Tensor.concat([wq, wk, wv], axis: 0)                   // [3H, H]
    /// let b = Tensor.concat([bq, bk, bv], axis: 0)                   // [3H]
    /// let qkv = Tensor.linear(x, weight: w, bias: b)                 // [B, T, 3H]
    /// let (context, _) = Tensor.scaledDotProductAttention(packed: qkv, heads: 12, mask: mask)  // [B, T, H]
    /// ```
    public static func scaledDotProductAttention(
        packed: Tensor, heads: Int, mask: Tensor? = nil, scale: Float? = nil,
        dropout: Float = 0, seed: UInt64 = 0, keepProbabilities: Bool = false
    ) -> (output: Tensor, probabilities: Tensor?) {
        let op = "scaledDotProductAttention(packed:)"
        check(packed.rank == 3 && heads > 0 && packed.shape[2] % (3 * heads) == 0,
                     "\(op): needs [B, T, 3·heads·d], got shape \(packed.shape) for \(heads) heads")
        let (b, t, a) = (packed.shape[0], packed.shape[1], heads)
        let d = packed.shape[2] / (3 * heads)
        let x = packed.detached().contiguous()
        let parts = x.reshape([b, t, 3, a, d])  // view
        @Sendable func part(_ i: Int, _ t5: Tensor) -> Tensor {  // [B, A, T, d] view of part i
            Tensor(shape: [b, a, t, d], strides: [t5.strides[0], t5.strides[3], t5.strides[1], 1],
                   offset: t5.offset + i * t5.strides[2], storage: t5.storage)
        }
        let needsGrad = Tensor.needsGradient(packed)
        let run = AttentionRun(q: part(0, parts), k: part(1, parts), v: part(2, parts), mask: mask, scale: scale,
                               dropout: dropout, seed: seed, keepProbabilities: keepProbabilities,
                               needsGrad: needsGrad, op: op)
        let merged = run.output.permute([0, 2, 1, 3]).reshape([b, t, a * d])  // [B, T, H] view
        guard needsGrad else { return (merged, run.probabilities) }
        let result = Tensor.record(op: op, inputs: [packed], output: merged) { g in
            let dx = Tensor.empty([b, t, 3 * a * d])
            let d5 = dx.reshape([b, t, 3, a, d])
            let dHeads = g.reshape([b, t, a, d]).permute([0, 2, 1, 3])  // [B, A, T, d] view
            run.backward(dHeads, dq: part(0, d5), dk: part(1, d5), dv: part(2, d5))
            return [dx]
        }
        return (result, keepProbabilities ? run.probabilities : nil)
    }

    /// A [B, A, T, d] tensor stored as contiguous [B, T, A, d].
    fileprivate static func headsMajorEmpty(_ b: Int, _ a: Int, _ t: Int, _ d: Int) -> Tensor {
        Tensor.empty([b, t, a, d]).permute([0, 2, 1, 3]).detached()
    }

    /// This tensor, or a contiguous copy when its last dimension is not unit-stride.
    fileprivate func unitLastStride() -> Tensor {
        shape[rank - 1] <= 1 || strides[rank - 1] == 1 ? self : contiguousValues()
    }

    /// The C view of a [B, A, T, d] tensor with unit last stride.
    fileprivate var ckHeads: ck_heads {
        ck_heads(data: baseAddress, sb: Int64(strides[0]), sh: Int64(strides[1]), st: Int64(strides[2]))
    }

    /// Runs `body(begin, end, scratch)` over `heads` heads split across cores, each piece with
    /// its own scratch buffer.
    fileprivate static func forEachHeadRange(_ heads: Int, tq: Int, tk: Int, d: Int,
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

/// One fused attention forward (run at init) and what its backward needs.
private final class AttentionRun: @unchecked Sendable {
    let q: Tensor, k: Tensor, v: Tensor, mask: Tensor?
    let output: Tensor
    let probabilities: Tensor?
    /// The dropped probabilities, kept for backward when dropout is on (zeros mark the mask).
    let dropped: Tensor?
    let problem: ck_attention_problem

    /// q: [B, A, Tq, d], k and v: [B, A, Tk, d], detached, unit last stride.
    init(q: Tensor, k: Tensor, v: Tensor, mask: Tensor?, scale: Float?, dropout: Float, seed: UInt64,
         keepProbabilities: Bool, needsGrad: Bool, op: String) {
        check(dropout >= 0 && dropout <= 1, "\(op): dropout \(dropout) is outside [0, 1]")
        check(mask.map { !$0.requiresGrad } ?? true, "\(op): the mask must not require gradients")
        let (b, a, tq, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let tk = k.shape[2]
        let scores = [b, a, tq, tk]
        let maskStrides = mask.map { $0.broadcastStrides(to: scores, op: op) } ?? [0, 0, 0, 0]
        self.q = q
        self.k = k
        self.v = v
        self.mask = mask?.detached()
        probabilities = keepProbabilities || needsGrad ? Tensor.empty(scores) : nil
        dropped = needsGrad && dropout > 0 ? Tensor.empty(scores) : nil
        output = Tensor.headsMajorEmpty(b, a, tq, d)
        problem = ck_attention_problem(
            batch: Int64(b), heads: Int64(a), tq: Int64(tq), tk: Int64(tk), d: Int64(d),
            q: q.ckHeads, k: k.ckHeads, v: v.ckHeads,
            mask: self.mask.map { UnsafePointer($0.baseAddress) },
            mask_sb: Int64(maskStrides[0]), mask_sh: Int64(maskStrides[1]),
            mask_si: Int64(maskStrides[2]), mask_sj: Int64(maskStrides[3]),
            scale: scale ?? 1 / Float(d).squareRoot(), dropout: dropout, seed: seed)
        if tk == 0 { ck_fill(output.baseAddress, 0, Int64(output.count)) }  // an empty sum
        var p = problem
        let out = output.ckHeads, probs = probabilities?.baseAddress, drops = dropped?.baseAddress
        withExtendedLifetime(self) {
            Tensor.forEachHeadRange(b * a, tq: tq, tk: tk, d: d) { begin, end, scratch in
                ck_attention_forward(&p, Int64(begin), Int64(end), out, probs, drops, scratch)
            }
        }
    }

    /// Writes dq, dk, dv ([B, A, T, d] views with unit last stride) from the output gradient
    /// `g` [B, A, Tq, d].
    func backward(_ g: Tensor, dq: Tensor, dk: Tensor, dv: Tensor) {
        let gc = g.unitLastStride()
        if problem.tk == 0 { ck_fill(dq.baseAddress, 0, Int64(dq.count)) }
        guard let saved = probabilities else { return }
        var p = problem
        let heads = (g: gc.ckHeads, dq: dq.ckHeads, dk: dk.ckHeads, dv: dv.ckHeads)
        withExtendedLifetime((self, gc)) {
            Tensor.forEachHeadRange(Int(p.batch * p.heads), tq: Int(p.tq), tk: Int(p.tk), d: Int(p.d)) { begin, end, scratch in
                ck_attention_backward(&p, Int64(begin), Int64(end), UnsafePointer(saved.baseAddress),
                                      dropped.map { UnsafePointer($0.baseAddress) },
                                      heads.g, heads.dq, heads.dk, heads.dv, scratch)
            }
        }
    }
}
