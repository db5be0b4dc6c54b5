import TensorCore

/// Attention output: dense(H→H) → dropout → LayerNorm(x + residual). Names `dense`, `LayerNorm`.
///
/// Reference: `BertSelfOutput` in transformers v5.23.0, [modeling_bert.py#L282](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L282).
public final class BertSelfOutput: Module {
    public let dense: Linear
    public let layerNorm: LayerNorm
    public let dropout: Dropout

    public init(config: BertConfig, generator: inout RandomGenerator) {
        dense = zeroLinear(config.hiddenSize, config.hiddenSize)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("dense", dense), .init("LayerNorm", layerNorm), .init("dropout", dropout)]
    }

    /// - Parameters: hidden [B, T, H] (attention context), residual [B, T, H].
    public func callAsFunction(_ hidden: Tensor, residual: Tensor) -> Tensor {
        profiled("attention.output+layernorm", [hidden, residual]) { x in
            layerNorm(dropout(dense(x[0])), residual: x[1])  // LayerNorm(dropout(dense(x)) + residual) [B, T, H]
        }
    }
}
