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
public protocol SequenceClassifierModel: FineTunableModel {
    /// Outputs per example (1 for regression).
    var numLabels: Int { get }
    /// Runs the model on `encodings` padded on the right to the longest with `padId`
    /// (HF `DataCollatorWithPadding`); the loss when `labels` are given.
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary, a length over the
    ///   position table, or labels that do not fit the problem type.
    func classify(_ encodings: [Encoding], padId: Int, labels: SequenceLabels?) throws -> BertHeadOutput
    /// Writes a Hugging Face model directory (weights, and config.json with the labels of `scheme`).
    func save(to directory: URL, labels scheme: LabelScheme) throws
}

extension BertForSequenceClassification: SequenceClassifierModel, BertTaskHead {
    public func classify(_ encodings: [Encoding], padId: Int, labels: SequenceLabels?) throws -> BertHeadOutput {
        try self(try EncodingCollation.input(encodings, padId: padId, config: config), labels: labels)  // logits [B, C]
    }

    public func save(to directory: URL, labels scheme: LabelScheme) throws {
        var c = config
        scheme.apply(to: &c)
        try BertCheckpoint.save(self, config: c, architecture: architectureName, to: directory)
    }
}

extension DistilBertForSequenceClassification: SequenceClassifierModel, DistilBertTaskHead {
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
