import TensorCore

/// FFN first half: dense(H→I) → activation. Names `dense`.
///
/// Reference: `BertIntermediate` in transformers v5.23.0, [modeling_bert.py#L325](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L325).
public final class BertIntermediate: Module {
    public let dense: Linear
    public let activation: Activation

    public init(config: BertConfig, generator: inout RandomGenerator) {
        dense = zeroLinear(config.hiddenSize, config.intermediateSize)
        activation = config.hiddenAct
    }

    public var children: [ModuleChild] {
        [.init("dense", dense)]
    }

    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        profiled("ffn.intermediate+act", hidden) { activation.apply(dense($0)) }  // [B, T, I]
    }
}
