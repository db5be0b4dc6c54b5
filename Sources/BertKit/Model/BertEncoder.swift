import TensorCore

/// The stack of `BertLayer`s. Names `layer.{i}.*`.
///
/// Reference: `BertEncoder` in transformers v5.23.0, [modeling_bert.py#L419](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L419).
public final class BertEncoder: Module {
    public let layer: [BertLayer]

    public init(config: BertConfig, generator: inout RandomGenerator) {
        var layers: [BertLayer] = []
        for _ in 0..<config.numHiddenLayers { layers.append(BertLayer(config: config, generator: &generator)) }
        layer = layers
    }

    public var children: [ModuleChild] {
        [.init("layer", layer)]
    }

    /// - Returns: the last hidden state [B, T, H], and when asked every layer's output and
    ///   attention probabilities.
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepHiddenStates: Bool, keepAttentions: Bool,
                               packing: TokenPacking? = nil) -> (last: Tensor, hiddenStates: [Tensor], attentions: [Tensor])
    {
        runEncoderLayers(layer, hidden, mask: mask, keepHiddenStates: keepHiddenStates, keepAttentions: keepAttentions,
                         packing: packing)  // [B, T, H] or [N, H]
    }
}
