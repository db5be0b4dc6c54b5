import TensorCore

/// FFN second half: dense(I→H) → dropout → LayerNorm(x + residual). Names `dense`, `LayerNorm`.
public final class BertOutput: Module {
    public let dense: Linear
    public let layerNorm: LayerNorm
    public let dropout: Dropout

    public init(config: BertConfig, generator: inout RandomGenerator) {
        dense = Linear(inFeatures: config.intermediateSize, outFeatures: config.hiddenSize, bias: true,
                       generator: &generator)
        layerNorm = LayerNorm(config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb))
    }

    public func namedParameters() -> [(String, Parameter)] {
        prefixed("dense", dense) + prefixed("LayerNorm", layerNorm)
    }

    public func callAsFunction(_ hidden: Tensor, residual: Tensor) -> Tensor {
        layerNorm(dropout(dense(hidden)) + residual)  // [B, T, H]
    }
}
