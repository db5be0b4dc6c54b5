import Foundation
import TensorCore
import Tokenization

/// A token classifier that ``TokenClassificationTask`` fine-tunes and runs:
/// ``BertForTokenClassification`` or ``DistilBertForTokenClassification``.
///
/// ```swift
/// let tagger: any TokenClassifierModel = loaded.model
/// let out = try tagger.tag(encodings, padId: 0, labels: nil)   // logits [B, T, C]
/// ```
public protocol TokenClassifierModel: FineTunableModel {
    /// Outputs per token (the tag count).
    var numLabels: Int { get }
    /// Logits [B, T, C] of `encodings` padded on the right to the longest with `padId`, and the
    /// mean cross-entropy over the labels ≠ -100 when `labels` (one per token, padded with -100)
    /// are given.
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary, a length over the
    ///   position table, or labels outside the tags.
    func tag(_ encodings: [Encoding], padId: Int, labels: [[Int]]?) throws -> BertHeadOutput
    /// Writes a Hugging Face model directory (weights, and config.json with `tags` as labels).
    func save(to directory: URL, tags: TagScheme) throws
}

extension BertForTokenClassification: TokenClassifierModel, BertTaskHead {
    public func tag(_ encodings: [Encoding], padId: Int, labels: [[Int]]?) throws -> BertHeadOutput {
        let input = try EncodingCollation.input(encodings, padId: padId, config: config)  // [B, T]
        return try self(input, labels: labels.map { EncodingCollation.padded($0, sequenceLength: input.sequenceLength, fill: -100) })
    }

    public func save(to directory: URL, tags: TagScheme) throws {
        var c = config
        tags.apply(to: &c)
        try BertCheckpoint.save(self, config: c, architecture: architectureName, to: directory)
    }
}

extension DistilBertForTokenClassification: TokenClassifierModel, DistilBertTaskHead {
    /// Token types are dropped: DistilBERT has no segment embeddings.
    public func tag(_ encodings: [Encoding], padId: Int, labels: [[Int]]?) throws -> BertHeadOutput {
        let input = try DistilBertInput(encodings: encodings, padId: padId, config: config)  // [B, T]
        return try self(input, labels: labels.map { EncodingCollation.padded($0, sequenceLength: input.sequenceLength, fill: -100) })
    }

    public func save(to directory: URL, tags: TagScheme) throws {
        var c = config
        tags.apply(to: &c)
        try DistilBertCheckpoint.save(self, config: c, architecture: architectureName, to: directory)
    }
}
