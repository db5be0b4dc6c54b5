import TensorCore

/// Self-attention followed by its output block. Names `self.*` and `output.*` as in HF.
///
/// Reference: `BertAttention` in transformers v5.23.0, [modeling_bert.py#L296](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L296).
public final class BertAttention: Module {
    /// HF calls this child `self`.
    public let selfAttention: BertSelfAttention
    public let output: BertSelfOutput

    public init(config: BertConfig, generator: inout RandomGenerator) {
        selfAttention = BertSelfAttention(config: config, generator: &generator)
        output = BertSelfOutput(config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("self", selfAttention), .init("output", output)]
    }

    /// - Returns: attention output [B, T, H] and, when asked, probabilities [B, A, T, T].
    public func callAsFunction(_ hidden: Tensor, mask: Tensor, keepProbabilities: Bool = false,
                               packing: TokenPacking? = nil) -> (output: Tensor, probabilities: Tensor?)
    {
        let (context, probabilities) = selfAttention(hidden, mask: mask, keepProbabilities: keepProbabilities,
                                                     packing: packing)  // [B, T, H] or [N, H], [B, A, T, T]
        return (output(context, residual: hidden), probabilities)  // [B, T, H] or [N, H]
    }
}
