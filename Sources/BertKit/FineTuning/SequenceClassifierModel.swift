import Foundation
import TensorCore
import Tokenization

/// A sequence classifier that ``SequenceClassificationTask`` fine-tunes and runs:
/// ``BertForSequenceClassification`` or ``DistilBertForSequenceClassification``.
///
/// ```swift
/// let model: any SequenceClassifierModel = loaded.model
/// let out = try model.classify(encodings, padId: 0, labels: nil)   // logits [B, C]
/// ```
public protocol SequenceClassifierModel: Module {
    /// Outputs per example (1 for regression).
    var numLabels: Int { get }
    /// The longest input the position table takes, special tokens included.
    var maxPositions: Int { get }
    /// The model's `pad_token_id` (the tokenizer's `[PAD]` id is preferred when it has one).
    var padTokenId: Int { get }
    /// The architecture name written to `config.json` (`BertForSequenceClassification`, …).
    var architectureName: String { get }
    /// Whether the encoder's per-token layers run on the real tokens only (the encoder's
    /// `skipsPaddingPositions`); the logits read token 0 alone, so they do not change.
    var skipsPaddingPositions: Bool { get set }
    /// Runs the model on `encodings` padded on the right to the longest with `padId`
    /// (HF `DataCollatorWithPadding`); the loss when `labels` are given.
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary, a length over the
    ///   position table, or labels that do not fit the problem type.
    func classify(_ encodings: [Encoding], padId: Int, labels: SequenceLabels?) throws -> BertHeadOutput
    /// Writes a Hugging Face model directory (weights, and config.json with the labels of `scheme`).
    func save(to directory: URL, labels scheme: LabelScheme) throws
}

extension BertForSequenceClassification: SequenceClassifierModel {
    public var numLabels: Int { config.numLabels }
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var architectureName: String { "BertForSequenceClassification" }
    public var skipsPaddingPositions: Bool {
        get { bert.skipsPaddingPositions }
        set { bert.skipsPaddingPositions = newValue }
    }

    public func classify(_ encodings: [Encoding], padId: Int, labels: SequenceLabels?) throws -> BertHeadOutput {
        try self(try EncodingCollation.input(encodings, padId: padId, config: config), labels: labels)  // logits [B, C]
    }

    public func save(to directory: URL, labels scheme: LabelScheme) throws {
        var c = config
        scheme.apply(to: &c)
        try BertCheckpoint.save(self, config: c, architecture: architectureName, to: directory)
    }
}

extension DistilBertForSequenceClassification: SequenceClassifierModel {
    public var numLabels: Int { config.numLabels }
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var architectureName: String { "DistilBertForSequenceClassification" }
    public var skipsPaddingPositions: Bool {
        get { distilbert.skipsPaddingPositions }
        set { distilbert.skipsPaddingPositions = newValue }
    }

    /// Token types of pairs are dropped: DistilBERT has no segment embeddings (as HF's
    /// DistilBERT tokenizer returns none).
    public func classify(_ encodings: [Encoding], padId: Int, labels: SequenceLabels?) throws -> BertHeadOutput {
        try self(try DistilBertInput(encodings: encodings, padId: padId, config: config), labels: labels)  // logits [B, C]
    }

    public func save(to directory: URL, labels scheme: LabelScheme) throws {
        var c = config
        scheme.apply(to: &c)
        try DistilBertCheckpoint.save(self, config: c, architecture: architectureName, to: directory)
    }
}
