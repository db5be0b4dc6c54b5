import TensorCore

/// Feed-forward network: lin1 (H→I) → activation → lin2 (I→H) → dropout. Names `lin1`, `lin2`.
///
/// Reference: `FFN` in transformers v5.23.0, [modeling_distilbert.py#L205](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L205).
public final class DistilBertFFN: Module {
    public let lin1: Linear
    public let lin2: Linear
    public let activation: Activation
    public let dropout: Dropout

    public init(config: DistilBertConfig, generator: inout RandomGenerator) {
        lin1 = zeroLinear(config.dim, config.hiddenDim)
        lin2 = zeroLinear(config.hiddenDim, config.dim)
        activation = config.activation
        dropout = Dropout(probability: Float(config.dropout), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("lin1", lin1), .init("lin2", lin2), .init("dropout", dropout)]
    }

    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        let x = activation.apply(lin1(hidden))  // [B, T, I]
        return dropout(lin2(x))  // [B, T, H]
    }
}
