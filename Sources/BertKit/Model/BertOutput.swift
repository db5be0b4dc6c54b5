import TensorCore

/// FFN second half: dense(I→H) → dropout → LayerNorm(x + residual). Names `dense`, `LayerNorm`.
///
/// Reference: `BertOutput` in transformers v5.23.0, [modeling_bert.py#L340](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L340).
public final class BertOutput: Module {
    public let dense: Linear
    public let layerNorm: LayerNorm
    public let dropout: Dropout

    public init(config: BertConfig, generator: inout RandomGenerator) {
        dense = zeroLinear(config.intermediateSize, config.hiddenSize)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("dense", dense), .init("LayerNorm", layerNorm), .init("dropout", dropout)]
    }

    public func callAsFunction(_ hidden: Tensor, residual: Tensor) -> Tensor {
        profiled("ffn.output+layernorm", [hidden, residual]) { x in
            layerNorm(dropout(dense(x[0])), residual: x[1])  // LayerNorm(dropout(dense(x)) + residual) [B, T, H]
        }
    }
}
