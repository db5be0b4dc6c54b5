import TensorCore
import Tokenization

/// One DistilBERT batch (no token types), validated against a config before any tensor work.
///
/// `attentionMask` is 1 for real tokens and 0 for padding, as in Hugging Face; positions are 0..<T.
/// ```swift
/// let input = try DistilBertInput(inputIds: IntTensor(ids, shape: [2, 8]),
///                                 attentionMask: IntTensor(mask, shape: [2, 8]), config: config)
/// ```
public struct DistilBertInput: Sendable {
    /// The validated ids and mask, as a BERT batch with zero token types (which DistilBERT ignores).
    public let batch: BertInput

    public var inputIds: IntTensor { batch.inputIds }
    public var attentionMask: IntTensor { batch.attentionMask }
    public var batchSize: Int { batch.batchSize }
    public var sequenceLength: Int { batch.sequenceLength }

    /// Validates shapes and ranges; throws `BertError.invalidInput` naming the problem.
    public init(inputIds: IntTensor, attentionMask: IntTensor? = nil, config: DistilBertConfig) throws {
        // BertInput checks ids against the vocabulary, the length against the position table and
        // the mask's shape and values: the same rules.
        batch = try BertInput(inputIds: inputIds, attentionMask: attentionMask, config: config.inputLimits)
    }

    /// A batch of encodings padded on the right to the longest (or to `length`) with `padId`,
    /// attention mask 0 there — ``BertInput/init(encodings:length:config:)``'s rules, without
    /// token types.
    public init(encodings: [Encoding], length: Int? = nil, padId: Int, config: DistilBertConfig) throws {
        var limits = config.inputLimits
        limits.padTokenId = padId
        let padded = try BertInput(encodings: encodings, length: length, config: limits)
        try self.init(inputIds: padded.inputIds, attentionMask: padded.attentionMask, config: config)
    }

    /// The additive attention bias: 0 where attended, −Float.greatestFiniteMagnitude where masked,
    /// [B, 1, 1, T] (as ``BertInput/extendedAttentionMask(causal:)``).
    public func extendedAttentionMask() -> Tensor {
        batch.extendedAttentionMask()  // [B, 1, 1, T]
    }
}

extension DistilBertConfig {
    /// The BERT config whose input rules (vocabulary, positions, padding) DistilBERT shares.
    var inputLimits: BertConfig {
        BertConfig(vocabSize: vocabSize, hiddenSize: dim, numHiddenLayers: 0, numAttentionHeads: nHeads,
                   intermediateSize: hiddenDim, maxPositionEmbeddings: maxPositionEmbeddings, padTokenId: padTokenId)
    }
}
