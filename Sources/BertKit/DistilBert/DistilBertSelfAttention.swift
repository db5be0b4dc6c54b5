import TensorCore

/// Multi-head self-attention with its output projection: `q_lin`, `k_lin`, `v_lin`, `out_lin`
/// (Linear H→H each). softmax(QKᵀ/√d + mask) → dropout → ·V → out_lin; no residual or LayerNorm
/// here (the block adds them).
///
/// The three projections run as one [H, 3H] gemm and the heads through the fused
/// ``TensorCore/Tensor/scaledDotProductAttention(packed:heads:mask:scale:dropout:seed:keepProbabilities:)``,
/// as in ``BertSelfAttention``.
/// ```swift
/// let (context, _) = attention(hidden, mask: additiveMask)   // [B, T, H]
/// ```
///
/// Reference: `DistilBertSelfAttention` in transformers v5.23.0, [modeling_distilbert.py#L149](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L149).
public final class DistilBertSelfAttention: Module {
    public let config: DistilBertConfig
    public let qLin: Linear
    public let kLin: Linear
    public let vLin: Linear
    public let outLin: Linear
    public let dropout: Dropout

    public init(config: DistilBertConfig, generator: inout RandomGenerator) {
        self.config = config
        let h = config.dim
        qLin = zeroLinear(h, h)
        kLin = zeroLinear(h, h)
        vLin = zeroLinear(h, h)
        outLin = zeroLinear(h, h)
        dropout = Dropout(probability: Float(config.attentionDropout), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("q_lin", qLin), .init("k_lin", kLin), .init("v_lin", vLin), .init("out_lin", outLin),
         .init("dropout", dropout)]
    }

    /// - Parameters:
    ///   - hidden: [B, T, H], or [N, H] — the real tokens of `packing` (see ``TokenPacking``).
    ///   - mask: additive mask [B, 1, 1, T]
    ///   - packing: the real positions when `hidden` holds only those.
    /// - Returns: out_lin(context) [B, T, H] ([N, H] with `packing`) and, when asked,
    ///   probabilities [B, A, T, T].
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepProbabilities: Bool = false,
                               packing: TokenPacking? = nil) -> (output: Tensor, probabilities: Tensor?)
    {
        let w = Tensor.concat([qLin.weight.value, kLin.weight.value, vLin.weight.value], axis: 0)  // [3H, H]
        let bias = Tensor.concat([qLin.bias!.value, kLin.bias!.value, vLin.bias!.value], axis: 0)  // [3H]
        let projected = Tensor.linear(hidden, weight: w, bias: bias)  // [B, T, 3H] or [N, 3H]
        let qkv = packing.map { $0.unpack(projected) } ?? projected  // [B, T, 3H]
        let dropping = dropout.isTraining && dropout.probability > 0
        let (context, p) = Tensor.scaledDotProductAttention(
            packed: qkv, heads: config.nHeads, mask: mask, scale: 1 / Float(config.headDim).squareRoot(),
            dropout: dropping ? dropout.probability : 0, seed: dropping ? dropout.generator.next() : 0,
            keepProbabilities: keepProbabilities)  // [B, T, H], [B, A, T, T]
        return (outLin(packing.map { $0.pack(context) } ?? context), p)  // [B, T, H] or [N, H]
    }
}
