import TensorCore

/// One post-LN block: h = sa_layer_norm(attention(x) + x); out = output_layer_norm(ffn(h) + h).
/// Names `attention.*`, `sa_layer_norm.*`, `ffn.*`, `output_layer_norm.*`.
///
/// Reference: `TransformerBlock` in transformers v5.23.0, [modeling_distilbert.py#L226](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L226).
public final class DistilBertTransformerBlock: Module {
    public let attention: DistilBertSelfAttention
    public let saLayerNorm: LayerNorm
    public let ffn: DistilBertFFN
    public let outputLayerNorm: LayerNorm

    public init(config: DistilBertConfig, generator: inout RandomGenerator) {
        attention = DistilBertSelfAttention(config: config, generator: &generator)
        saLayerNorm = LayerNorm(dimension: config.dim, eps: DistilBertConfig.layerNormEps)
        ffn = DistilBertFFN(config: config, generator: &generator)
        outputLayerNorm = LayerNorm(dimension: config.dim, eps: DistilBertConfig.layerNormEps)
    }

    public var children: [ModuleChild] {
        [.init("attention", attention), .init("sa_layer_norm", saLayerNorm), .init("ffn", ffn),
         .init("output_layer_norm", outputLayerNorm)]
    }

    /// - Returns: block output [B, T, H] and, when asked, attention probabilities [B, A, T, T].
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepProbabilities: Bool = false,
                               packing: TokenPacking? = nil) -> (output: Tensor, probabilities: Tensor?)
    {
        let (a, p) = attention(hidden, mask: mask, keepProbabilities: keepProbabilities, packing: packing)  // [B, T, H] or [N, H]
        let h = saLayerNorm(a, residual: hidden)  // LayerNorm(attention + x) [B, T, H]
        return (outputLayerNorm(ffn(h), residual: h), p)  // LayerNorm(ffn(h) + h) [B, T, H]
    }
}
