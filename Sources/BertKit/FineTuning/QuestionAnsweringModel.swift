import Foundation
import TensorCore
import Tokenization

/// A span-extraction reader that ``QuestionAnsweringTask`` fine-tunes and runs:
/// ``BertForQuestionAnswering`` or ``DistilBertForQuestionAnswering``.
///
/// ```swift
/// let reader: any QuestionAnsweringModel = loaded.model
/// let out = try reader.answerSpans(windows, padId: 0, startPositions: nil, endPositions: nil)  // startLogits [B, T]
/// ```
public protocol QuestionAnsweringModel: FineTunableModel {
    /// Start and end logits of `encodings` padded on the right to the longest with `padId`, and
    /// the loss (CE(start) + CE(end)) / 2 when the answer positions are given.
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary, a length over the
    ///   position table, or positions of the wrong shape.
    func answerSpans(_ encodings: [Encoding], padId: Int, startPositions: IntTensor?, endPositions: IntTensor?) throws
        -> BertQuestionAnsweringOutput
    /// Writes a Hugging Face model directory (config.json and model.safetensors).
    func save(to directory: URL) throws
}

extension BertForQuestionAnswering: QuestionAnsweringModel, BertTaskHead {
    public func answerSpans(_ encodings: [Encoding], padId: Int, startPositions: IntTensor?, endPositions: IntTensor?) throws
        -> BertQuestionAnsweringOutput
    {
        try self(try EncodingCollation.input(encodings, padId: padId, config: config),
                 startPositions: startPositions, endPositions: endPositions)  // start/end logits [B, T]
    }

    public func save(to directory: URL) throws {
        try BertCheckpoint.save(self, config: config, architecture: architectureName, to: directory)
    }
}

extension DistilBertForQuestionAnswering: QuestionAnsweringModel, DistilBertTaskHead {
    /// Token types are dropped: DistilBERT has no segment embeddings (HF's DistilBERT tokenizer
    /// returns none, and run_qa.py passes none).
    public func answerSpans(_ encodings: [Encoding], padId: Int, startPositions: IntTensor?, endPositions: IntTensor?) throws
        -> BertQuestionAnsweringOutput
    {
        try self(try DistilBertInput(encodings: encodings, padId: padId, config: config),
                 startPositions: startPositions, endPositions: endPositions)  // start/end logits [B, T]
    }

    public func save(to directory: URL) throws {
        try DistilBertCheckpoint.save(self, config: config, architecture: architectureName, to: directory)
    }
}
