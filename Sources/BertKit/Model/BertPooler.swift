import TensorCore

/// Token 0 → dense(H→H) → tanh. Names `dense`.
///
/// Reference: `BertPooler` in transformers v5.23.0, [modeling_bert.py#L451](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L451).
public final class BertPooler: Module {
    public let dense: Linear

    public init(config: BertConfig, generator: inout RandomGenerator) {
        dense = zeroLinear(config.hiddenSize, config.hiddenSize)
    }

    public var children: [ModuleChild] {
        [.init("dense", dense)]
    }

    /// - Parameter hidden: [B, T, H]. - Returns: [B, H].
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        profiled("pooler", hidden) { dense($0.narrow(axis: 1, start: 0, length: 1).squeeze(axis: 1)).tanh() }  // [B, H]
    }
}
