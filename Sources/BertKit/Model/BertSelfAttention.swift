import TensorCore

/// Multi-head scaled dot-product self-attention (query/key/value projections, no output dense).
///
/// Port of `BertSelfAttention` (transformers `models/bert/modeling_bert.py`; relative positions
/// from transformers 4.57): scores = (QKᵀ [+ relative terms]) / √d + mask → softmax → dropout → ·V.
/// Names: `query`, `key`, `value` (Linear H→H) and, for relative positions,
/// `distance_embedding.weight` [2·maxPos − 1, d].
///
/// The three projections run as one [H, 3H] gemm: their weights and biases are kept in one
/// buffer each once their values are final (``packProjections()``, after construction and
/// loading), and with absolute positions the heads go through the fused
/// ``TensorCore/Tensor/scaledDotProductAttention(packed:heads:mask:scale:dropout:seed:keepProbabilities:)``.
///
/// ```swift
/// let attention = BertSelfAttention(config: config, generator: &rng)
/// let (context, _) = attention(hidden, mask: additiveMask)   // [B, T, H]
/// ```
///
/// Reference: `BertSelfAttention` in transformers v5.23.0, [modeling_bert.py#L139](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L139).
public final class BertSelfAttention: Module {
    public let config: BertConfig
    public let query: Linear
    public let key: Linear
    public let value: Linear
    /// Relative distance table (relative_key / relative_key_query only).
    public let distanceEmbedding: Embedding?
    public let dropout: Dropout

    public init(config: BertConfig, generator: inout RandomGenerator) {
        self.config = config
        let h = config.hiddenSize
        query = zeroLinear(h, h)
        key = zeroLinear(h, h)
        value = zeroLinear(h, h)
        if config.positionEmbeddingType == .absolute {
            distanceEmbedding = nil
        } else {
            distanceEmbedding = zeroEmbedding(2 * config.maxPositionEmbeddings - 1, config.headDim)
        }
        dropout = Dropout(probability: Float(config.attentionProbsDropoutProb), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("query", query), .init("key", key), .init("value", value),
             .init("distance_embedding", distanceEmbedding), .init("dropout", dropout)]
    }

    /// - Parameters:
    ///   - hidden: [B, T, H], or [N, H] — the real tokens of `packing` (absolute positions only).
    ///   - mask: additive mask, [B, 1, 1, T] or [B, 1, T, T]
    ///   - keepProbabilities: also return the attention probabilities.
    ///   - packing: the real positions when `hidden` holds only those (see ``TokenPacking``).
    /// - Returns: context [B, T, H] ([N, H] with `packing`) and, when asked, attention
    ///   probabilities [B, A, T, T].
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepProbabilities: Bool = false,
                               packing: TokenPacking? = nil) -> (context: Tensor, probabilities: Tensor?)
    {
        check(packing == nil || distanceEmbedding == nil,
              "BertSelfAttention: token packing needs absolute positions, got \(config.positionEmbeddingType)")
        let (b, t) = packing.map { ($0.batch, $0.length) } ?? (hidden.shape[0], hidden.shape[1])
        let (a, d) = (config.numAttentionHeads, config.headDim)
        let scale = 1 / Float(d).squareRoot()
        let heads = { (x: Tensor) in x.reshape([b, t, a, d]).permute([0, 2, 1, 3]) }  // [B, T, H] → [B, A, T, d] view
        // One [B·T, H] × [H, 3H] gemm for the three projections.
        let qkv = profiled("attention.qkv", hidden) { x in
            let w = packed([query.weight, key.weight, value.weight])  // [3H, H]
            let bias = packed([query.bias!, key.bias!, value.bias!])  // [3H]
            let y = Tensor.linear(x, weight: w, bias: bias)  // [B, T, 3H] or [N, 3H]
            return packing.map { $0.unpack(y) } ?? y  // [B, T, 3H]
        }
        var probabilities: Tensor?
        let context = profiled("attention.scores+softmax+context", qkv) { x in
            guard let table = distanceEmbedding else {
                // Absolute positions: one fused kernel per head (the scores never leave the cache).
                let dropping = dropout.isTraining && dropout.probability > 0
                let (o, p) = Tensor.scaledDotProductAttention(
                    packed: x, heads: a, mask: mask, scale: scale,
                    dropout: dropping ? dropout.probability : 0, seed: dropping ? dropout.generator.next() : 0,
                    keepProbabilities: keepProbabilities)  // [B, T, H], [B, A, T, T]
                probabilities = p
                return packing.map { $0.pack(o) } ?? o  // [B, T, H] or [N, H]
            }
            let (q, k, v) = (heads(x.narrow(axis: 2, start: 0, length: a * d)),
                             heads(x.narrow(axis: 2, start: a * d, length: a * d)),
                             heads(x.narrow(axis: 2, start: 2 * a * d, length: a * d)))  // [B, A, T, d]
            // Relative positions add their terms to QKᵀ before the division by √d, as HF does.
            let scores = q.matmul(k.transposed(2, 3)) + relativeScores(q: q, k: k, table: table, t: t)  // [B, A, T, T]
            let p = (scores * scale + mask).softmax(axis: -1)  // [B, A, T, T]
            probabilities = p
            return dropout(p).matmul(v)  // [B, A, T, d]
                .permute([0, 2, 1, 3]).contiguous().reshape([b, t, a * d])  // [B, T, H]
        }
        return (context, keepProbabilities ? probabilities : nil)
    }

    /// The three parameters stacked along their first axis as one tensor whose gradient flows
    /// back to each: a view when they sit in one buffer, in order (``packProjections()`` puts
    /// them there after construction and after a checkpoint load), else a concatenation (after
    /// an optimizer step gave each its own storage). The forward never changes the parameters.
    func packed(_ parameters: [Parameter]) -> Tensor {
        let first = parameters[0].value
        let n = first.count
        let adjacent = parameters.enumerated().allSatisfy { i, p in
            p.value.storage === first.storage && p.value.isContiguous && p.value.shape == first.shape
                && p.value.offset == first.offset + i * n
        }
        guard adjacent else { return Tensor.concat(parameters.map(\.value), axis: 0) }  // [3·rows, …]
        var shape = first.shape
        shape[0] *= parameters.count
        let view = Tensor(shape: shape, strides: first.strides, offset: first.offset, storage: first.storage)
        let rows = first.shape[0]
        return Tensor.record(op: "packed_parameters", inputs: parameters.map(\.value), output: view) { g in
            (0..<parameters.count).map { g.narrow(axis: 0, start: $0 * rows, length: rows) }
        }
    }

    /// Moves the query/key/value weights into one [3H, H] buffer and their biases into one [3H]
    /// buffer (values unchanged), so the projection reads them as a view. Called once the values
    /// are final: at the end of model construction and after a checkpoint load.
    func packProjections() {
        for parameters in [[query.weight, key.weight, value.weight], [query.bias!, key.bias!, value.bias!]] {
            let first = parameters[0].value
            let joined = withNoGrad { Tensor.concat(parameters.map { $0.value }, axis: 0) }  // [3·rows, …]
            for (i, p) in parameters.enumerated() {
                p.value = Tensor(shape: first.shape, strides: joined.strides,
                                 offset: joined.offset + i * first.count, storage: joined.storage)
            }
        }
    }

    /// Σ_d q[b,h,l,d]·E[l−r] (relative_key) plus Σ_d k[b,h,r,d]·E[l−r] (relative_key_query),
    /// with E = distance table rows l − r + maxPos − 1.
    func relativeScores(q: Tensor, k: Tensor, table: Embedding, t: Int) -> Tensor {
        let (b, a, d) = (q.shape[0], q.shape[1], q.shape[3])
        let p = config.maxPositionEmbeddings
        var index = [Int](repeating: 0, count: t * t)
        for l in 0..<t { for r in 0..<t { index[l * t + r] = l - r + p - 1 } }
        let e = table(IntTensor(index, shape: [t, t]))  // [L, R, d]
        // Query term: for each l, q[:, :, l, :] · E[l]ᵀ.
        let ql = q.permute([2, 0, 1, 3]).reshape([t, b * a, d])  // [L, B·A, d]
        var s = ql.matmul(e.transposed(1, 2))  // [L, B·A, R]
            .reshape([t, b, a, t]).permute([1, 2, 0, 3])  // [B, A, L, R]
        if config.positionEmbeddingType == .relativeKeyQuery {
            let kr = k.permute([2, 0, 1, 3]).reshape([t, b * a, d])  // [R, B·A, d]
            let er = e.permute([1, 2, 0])  // [R, d, L]
            s = s + kr.matmul(er).reshape([t, b, a, t]).permute([1, 2, 3, 0])  // [B, A, L, R]
        }
        return s
    }
}

/// Packs the query/key/value projections of every self-attention in `module`'s tree
/// (``BertSelfAttention/packProjections()``): after construction and after loading weights.
func packAttentionProjections(in module: any Module) {
    for m in module.descendants() { (m as? BertSelfAttention)?.packProjections() }
}
