import TensorCore

/// The stack of `DistilBertTransformerBlock`s. Names `layer.{i}.*`.
///
/// Reference: `Transformer` in transformers v5.23.0, [modeling_distilbert.py#L261](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L261).
public final class DistilBertTransformer: Module {
    public let layer: [DistilBertTransformerBlock]

    public init(config: DistilBertConfig, generator: inout RandomGenerator) {
        var layers: [DistilBertTransformerBlock] = []
        for _ in 0..<config.nLayers { layers.append(DistilBertTransformerBlock(config: config, generator: &generator)) }
        layer = layers
    }

    public var children: [ModuleChild] {
        [.init("layer", layer)]
    }

    /// - Returns: the last hidden state [B, T, H], and when asked every block's output and
    ///   attention probabilities.
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepHiddenStates: Bool, keepAttentions: Bool,
                               packing: TokenPacking? = nil) -> (last: Tensor, hiddenStates: [Tensor], attentions: [Tensor])
    {
        runEncoderLayers(layer, hidden, mask: mask, keepHiddenStates: keepHiddenStates, keepAttentions: keepAttentions,
                         packing: packing)  // [B, T, H] or [N, H]
    }
}
