import Foundation
import TensorCore
import Tokenization

/// A multiple-choice scorer that ``MultipleChoiceTask`` fine-tunes and runs:
/// ``BertForMultipleChoice`` or ``DistilBertForMultipleChoice``.
///
/// ```swift
/// let chooser: any MultipleChoiceModel = loaded.model
/// let out = try chooser.choose(examples, padId: 0, labels: nil)   // logits [B, N]
/// ```
public protocol MultipleChoiceModel: FineTunableModel {
    /// Scores [B, N] of B examples of N encodings each, the B·N sequences padded on the right to
    /// their longest with `padId` (``EncodingCollation/choices(_:padId:config:)``), and the
    /// cross-entropy over the N scores when `labels` [B] are given.
    /// - Throws: `BertError.invalidInput` for examples with different N, ids outside the
    ///   vocabulary, a length over the position table, or labels outside 0..<N.
    func choose(_ examples: [[Encoding]], padId: Int, labels: IntTensor?) throws -> BertHeadOutput
    /// Writes a Hugging Face model directory (config.json and model.safetensors).
    func save(to directory: URL) throws
}

extension BertForMultipleChoice: MultipleChoiceModel, BertTaskHead {
    public func choose(_ examples: [[Encoding]], padId: Int, labels: IntTensor?) throws -> BertHeadOutput {
        let x = try EncodingCollation.choices(examples, padId: padId, config: config)  // [B, N, T] each
        return try self(inputIds: x.inputIds, attentionMask: x.attentionMask, tokenTypeIds: x.tokenTypeIds, labels: labels)
    }

    public func save(to directory: URL) throws {
        try BertCheckpoint.save(self, config: config, architecture: architectureName, to: directory)
    }
}

extension DistilBertForMultipleChoice: MultipleChoiceModel, DistilBertTaskHead {
    /// Token types are dropped: DistilBERT has no segment embeddings.
    public func choose(_ examples: [[Encoding]], padId: Int, labels: IntTensor?) throws -> BertHeadOutput {
        let x = try EncodingCollation.choices(examples, padId: padId, config: config.inputLimits)  // [B, N, T] each
        return try self(inputIds: x.inputIds, attentionMask: x.attentionMask, labels: labels)
    }

    public func save(to directory: URL) throws {
        try DistilBertCheckpoint.save(self, config: config, architecture: architectureName, to: directory)
    }
}
