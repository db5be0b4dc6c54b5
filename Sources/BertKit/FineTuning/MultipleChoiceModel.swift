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
public protocol MultipleChoiceModel: Module {
    /// The longest input the position table takes, special tokens included.
    var maxPositions: Int { get }
    /// The model's `pad_token_id` (the tokenizer's `[PAD]` id is preferred when it has one).
    var padTokenId: Int { get }
    /// The architecture name written to `config.json` (`BertForMultipleChoice`, …).
    var architectureName: String { get }
    /// Whether the encoder's per-token layers run on the real tokens only (the encoder's
    /// `skipsPaddingPositions`); each choice is scored from its first token, which does not change.
    var skipsPaddingPositions: Bool { get set }
    /// Scores [B, N] of B examples of N encodings each, the B·N sequences padded on the right to
    /// their longest with `padId` (``EncodingCollation/choices(_:padId:config:)``), and the
    /// cross-entropy over the N scores when `labels` [B] are given.
    /// - Throws: `BertError.invalidInput` for examples with different N, ids outside the
    ///   vocabulary, a length over the position table, or labels outside 0..<N.
    func choose(_ examples: [[Encoding]], padId: Int, labels: IntTensor?) throws -> BertHeadOutput
    /// Writes a Hugging Face model directory (config.json and model.safetensors).
    func save(to directory: URL) throws
}

extension BertForMultipleChoice: MultipleChoiceModel {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var architectureName: String { "BertForMultipleChoice" }
    public var skipsPaddingPositions: Bool {
        get { bert.skipsPaddingPositions }
        set { bert.skipsPaddingPositions = newValue }
    }

    public func choose(_ examples: [[Encoding]], padId: Int, labels: IntTensor?) throws -> BertHeadOutput {
        let x = try EncodingCollation.choices(examples, padId: padId, config: config)  // [B, N, T] each
        return try self(inputIds: x.inputIds, attentionMask: x.attentionMask, tokenTypeIds: x.tokenTypeIds, labels: labels)
    }

    public func save(to directory: URL) throws {
        try BertCheckpoint.save(self, config: config, architecture: architectureName, to: directory)
    }
}

extension DistilBertForMultipleChoice: MultipleChoiceModel {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var architectureName: String { "DistilBertForMultipleChoice" }
    public var skipsPaddingPositions: Bool {
        get { distilbert.skipsPaddingPositions }
        set { distilbert.skipsPaddingPositions = newValue }
    }

    /// Token types are dropped: DistilBERT has no segment embeddings.
    public func choose(_ examples: [[Encoding]], padId: Int, labels: IntTensor?) throws -> BertHeadOutput {
        let x = try EncodingCollation.choices(examples, padId: padId, config: config.inputLimits)  // [B, N, T] each
        return try self(inputIds: x.inputIds, attentionMask: x.attentionMask, labels: labels)
    }

    public func save(to directory: URL) throws {
        try DistilBertCheckpoint.save(self, config: config, architecture: architectureName, to: directory)
    }
}
