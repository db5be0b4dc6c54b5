import Foundation
import TensorCore
import Tokenization

/// One candidate for a masked position, as a Hugging Face `fill-mask` pipeline returns it.
public struct FillMaskPrediction: Sendable, Equatable, Codable {
    /// Softmax probability of `token` at the masked position (over the whole vocabulary).
    public var score: Double
    /// The token id.
    public var token: Int
    /// `tokenizer.decode([token])`.
    public var tokenString: String
    /// The input with this token in place of the mask, decoded (special tokens dropped when the
    /// text has one mask; kept, other masks included, when it has several — as the pipeline does).
    public var sequence: String

    enum CodingKeys: String, CodingKey {
        case score, token, tokenString = "token_str", sequence
    }
}

/// A model with a masked-LM head that ``FillMask`` runs: ``BertForMaskedLM`` or
/// ``DistilBertForMaskedLM``.
///
/// ```swift
/// let model: any MaskedLanguageModel = loaded.model
/// let logits = try model.vocabularyLogits([2, 7, 4, 3])   // [1, 4, V]
/// ```
public protocol MaskedLanguageModel: Module {
    /// The longest input the position table takes, special tokens included.
    var maxPositions: Int { get }
    /// Vocabulary logits [1, T, V] at every position of one sequence of token ids (no padding).
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary.
    func vocabularyLogits(_ ids: [Int]) throws -> Tensor
}

extension BertForMaskedLM: MaskedLanguageModel {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public func vocabularyLogits(_ ids: [Int]) throws -> Tensor {
        try self(try BertInput(inputIds: IntTensor(ids, shape: [1, ids.count]), config: config)).logits  // [1, T, V]
    }
}

extension DistilBertForMaskedLM: MaskedLanguageModel {
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public func vocabularyLogits(_ ids: [Int]) throws -> Tensor {
        try self(try DistilBertInput(inputIds: IntTensor(ids, shape: [1, ids.count]), config: config)).logits  // [1, T, V]
    }
}

/// The masked-LM "fill in the blank" of Hugging Face's `fill-mask` pipeline: the text is encoded
/// with `[CLS]`/`[SEP]`, and for each `[MASK]` the `topK` most probable tokens are returned with
/// their softmax score and the filled-in text. BERT and DistilBERT.
///
/// ```swift
/// let directory = try BertModelDirectory(URL(fileURLWithPath: "run/model"))
/// let fill = try FillMask(directory: directory)
/// let candidates = try fill("the [MASK] of the union", topK: 5)   // one list per [MASK]
/// candidates[0][0].tokenString                                      // "state"
/// ```
public struct FillMask {
    public let model: any MaskedLanguageModel
    public let tokenizer: BertTokenizer
    public let maskId: Int

    /// - Throws: ``BertError/invalidInput(_:)`` when the vocabulary has no `[MASK]`.
    public init(model: any MaskedLanguageModel, tokenizer: BertTokenizer, maskToken: String = "[MASK]") throws {
        guard let maskId = tokenizer.id(for: maskToken) else {
            throw BertError.invalidInput("the vocabulary has no \(maskToken) token")
        }
        model.eval()
        self.model = model
        self.tokenizer = tokenizer
        self.maskId = maskId
    }

    /// Loads the model directory as `BertForMaskedLM` (a `BertForPreTraining` checkpoint works:
    /// its `cls.predictions` head is the masked-LM head) with its tokenizer.
    /// - Throws: ``BertError/malformedFile(path:reason:)`` when the checkpoint has no masked-LM
    ///   head (e.g. a sentence-embedding model): predictions from random weights mean nothing.
    public init(directory: BertModelDirectory) throws {
        let loaded = try directory.load(BertForMaskedLM.self)
        try Self.requireHead(loaded.report.missing.filter { $0.hasPrefix("cls.") }, weights: directory.weightsURL)
        try self.init(model: loaded.model, tokenizer: try directory.loadTokenizer())
    }

    /// Loads a DistilBERT directory as `DistilBertForMaskedLM` (`distilbert-base-uncased` has its
    /// head) with its tokenizer.
    /// - Throws: ``BertError/malformedFile(path:reason:)`` when the checkpoint has no masked-LM
    ///   head (`vocab_transform`, `vocab_layer_norm`, `vocab_projector`).
    public init(directory: DistilBertModelDirectory) throws {
        let loaded = try directory.load(DistilBertForMaskedLM.self)
        try Self.requireHead(loaded.report.missing.filter { !$0.hasPrefix("distilbert.") }, weights: directory.weightsURL)
        try self.init(model: loaded.model, tokenizer: try directory.loadTokenizer())
    }

    /// Predictions from random head weights mean nothing: refuse a checkpoint that lacks them.
    static func requireHead(_ missing: [String], weights: URL) throws {
        guard missing.isEmpty else {
            throw BertError.malformedFile(path: weights.path,
                                          reason: "has no masked-LM head (\(missing.sorted().joined(separator: ", ")) missing)")
        }
    }

    /// The `topK` candidates for each mask of `text`, masks in text order.
    /// - Throws: ``BertError/invalidInput(_:)`` when the text has no mask or is longer than the
    ///   model's `max_position_embeddings`.
    public func callAsFunction(_ text: String, topK: Int = 5) throws -> [[FillMaskPrediction]] {
        var t = tokenizer
        t.truncation = nil
        t.padding = nil
        let ids = try t.encode(text).ids
        let masks = ids.indices.filter { ids[$0] == maskId }
        guard !masks.isEmpty else { throw BertError.invalidInput("no [MASK] token in the input: \(text)") }
        guard ids.count <= model.maxPositions else {
            throw BertError.invalidInput("the input has \(ids.count) tokens, more than max_position_embeddings \(model.maxPositions)")
        }
        let logits = try withNoGrad { try model.vocabularyLogits(ids) }   // [1, T, V]
        let v = logits.shape[2]
        let values = logits.toArray()
        let k = max(0, min(topK, v))
        return masks.map { position in
            let row = values[(position * v)..<((position + 1) * v)]
            let top = row.max() ?? 0
            var sum = 0.0
            for x in row { sum += exp(Double(x - top)) }
            let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(k)
            return order.map { index in
                let id = index - position * v
                var filled = ids
                filled[position] = id
                return FillMaskPrediction(score: exp(Double(row[index] - top)) / sum, token: id,
                                          tokenString: tokenizer.decode([id], skipSpecialTokens: false),
                                          sequence: tokenizer.decode(filled, skipSpecialTokens: masks.count == 1))
            }
        }
    }
}
