import TensorCore

/// One post-LN transformer block: attention, then the feed-forward network.
/// Names `attention.*`, `intermediate.*`, `output.*`.
///
/// Reference: `BertLayer` in transformers v5.23.0, [modeling_bert.py#L354](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L354).
public final class BertLayer: Module {
    public let attention: BertAttention
    public let intermediate: BertIntermediate
    public let output: BertOutput

    public init(config: BertConfig, generator: inout RandomGenerator) {
        attention = BertAttention(config: config, generator: &generator)
        intermediate = BertIntermediate(config: config, generator: &generator)
        output = BertOutput(config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("attention", attention), .init("intermediate", intermediate), .init("output", output)]
    }

    /// - Returns: layer output [B, T, H] and, when asked, attention probabilities [B, A, T, T].
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepProbabilities: Bool = false,
                               packing: TokenPacking? = nil) -> (output: Tensor, probabilities: Tensor?)
    {
        let (a, p) = attention(hidden, mask: mask, keepProbabilities: keepProbabilities, packing: packing)  // [B, T, H] or [N, H]
        return (output(intermediate(a), residual: a), p)  // [B, T, H] or [N, H]
    }
}
