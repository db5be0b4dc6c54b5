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
public protocol QuestionAnsweringModel: Module {
    /// The longest input the position table takes, special tokens included.
    var maxPositions: Int { get }
    /// The model's `pad_token_id` (the tokenizer's `[PAD]` id is preferred when it has one).
    var padTokenId: Int { get }
    /// The architecture name written to `config.json` (`BertForQuestionAnswering`, …).
    var architectureName: String { get }
    /// Whether the encoder's per-token layers run on the real tokens only (the encoder's
    /// `skipsPaddingPositions`); the start/end logits of real tokens do not change.
    var skipsPaddingPositions: Bool { get set }
    /// Start and end logits of `encodings` padded on the right to the longest with `padId`, and
    /// the loss (CE(start) + CE(end)) / 2 when the answer positions are given.
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary, a length over the
    ///   position table, or positions of the wrong shape.
    func answerSpans(_ encodings: [Encoding], padId: Int, startPositions: IntTensor?, endPositions: IntTensor?) throws
        -> BertQuestionAnsweringOutput
    /// Writes a Hugging Face model directory (config.json and model.safetensors).
    func save(to directory: URL) throws
}

extension BertForQuestionAnswering: QuestionAnsweringModel {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var architectureName: String { "BertForQuestionAnswering" }
    public var skipsPaddingPositions: Bool {
        get { bert.skipsPaddingPositions }
        set { bert.skipsPaddingPositions = newValue }
    }

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

extension DistilBertForQuestionAnswering: QuestionAnsweringModel {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var architectureName: String { "DistilBertForQuestionAnswering" }
    public var skipsPaddingPositions: Bool {
        get { distilbert.skipsPaddingPositions }
        set { distilbert.skipsPaddingPositions = newValue }
    }

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
