import Foundation
import TensorCore
import Tokenization

/// How a sequence becomes one vector.
public enum Pooling: String, Sendable, CaseIterable {
    /// The last hidden state of the first attended token ([CLS]; also for left-padded encodings).
    case cls
    /// Mean of the last hidden state over the attention mask (sentence-transformers style).
    case mean
}

/// An encoder whose last hidden states become sentence vectors: ``BertModel`` or
/// ``DistilBertModel`` (its `sentenceEmbeddings` methods come from this protocol).
///
/// ```swift
/// let encoder: any SentenceEncoder = try directory.loadBertModel()
/// let vectors = try encoder.sentenceEmbeddings(["A man is eating."], tokenizer: tokenizer, pooling: .mean)
/// ```
public protocol SentenceEncoder: Module {
    /// Width of a vector (H).
    var hiddenSize: Int { get }
    /// The longest input the position table takes, special tokens included.
    var maxPositions: Int { get }
    /// The model's `pad_token_id`.
    var padTokenId: Int { get }
    /// `6 layers, hidden 384, 12 heads`.
    var shapeDescription: String { get }
    /// The last hidden states [B, T, H] of `encodings` padded on the right to the longest,
    /// without a gradient (in the model's current mode: loaded models are in evaluation mode).
    /// - Throws: `BertError.invalidInput` for ids outside the vocabulary or a length over the
    ///   position table.
    func lastHiddenStates(_ encodings: [Encoding]) throws -> Tensor
}

extension BertModel: SentenceEncoder {
    public var hiddenSize: Int { config.hiddenSize }
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var shapeDescription: String {
        "\(config.numHiddenLayers) layers, hidden \(config.hiddenSize), \(config.numAttentionHeads) heads"
    }
    public func lastHiddenStates(_ encodings: [Encoding]) throws -> Tensor {
        let input = try BertInput(encodings: encodings, config: config)  // [B, T]
        return withNoGrad { self(input) }.lastHiddenState  // [B, T, H]
    }
}

extension DistilBertModel: SentenceEncoder {
    public var hiddenSize: Int { config.dim }
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var padTokenId: Int { config.padTokenId }
    public var shapeDescription: String { "\(config.nLayers) layers, hidden \(config.dim), \(config.nHeads) heads" }
    /// Token types are dropped: DistilBERT has no segment embeddings.
    public func lastHiddenStates(_ encodings: [Encoding]) throws -> Tensor {
        let input = try DistilBertInput(encodings: encodings, padId: config.padTokenId, config: config)  // [B, T]
        return withNoGrad { self(input) }.lastHiddenState  // [B, T, H]
    }
}

extension SentenceEncoder {
    /// One vector per encoding, in input order, pooled over each encoding's attention mask: the
    /// result equals `transformers` run on the same encodings (ids, attention mask, type ids),
    /// whatever padding they carry.
    ///
    /// Padding on the right of an encoding (tokenizer.json's fixed padding, say) is dropped before
    /// batching — it cannot change the result and only costs time; left padding stays, masked.
    /// Encodings are sorted by length and run in padded batches of `batchSize`
    /// (``BertInput/init(encodings:length:config:)``). No gradient is recorded.
    /// ```swift
    /// let encodings = try tokenizer.encodeBatch(["A man is eating food.", "A man is eating bread."])
    /// let vectors = try model.sentenceEmbeddings(encodings, pooling: .mean, normalize: true)
    /// ```
    /// - Throws: `BertError.invalidInput` for an encoding that is empty, is only padding
    ///   (attention mask all 0), or whose ids are outside the vocabulary or longer than
    ///   max_position_embeddings.
    public func sentenceEmbeddings(_ encodings: [Encoding], pooling: Pooling, normalize: Bool = false,
                                   batchSize: Int = 32) throws -> [[Float]] {
        var trimmed = encodings
        for k in trimmed.indices {
            try BertInput.validate(trimmed[k], index: k)
            let end = trimmed[k].attentionMask.lastIndex(of: 1)! + 1
            if end < trimmed[k].count {
                trimmed[k] = Encoding(ids: Array(trimmed[k].ids[..<end]), typeIds: Array(trimmed[k].typeIds[..<end]),
                                      attentionMask: Array(trimmed[k].attentionMask[..<end]))
            }
        }
        let h = hiddenSize
        var result = [[Float]](repeating: [], count: trimmed.count)
        let order = trimmed.indices.sorted { (trimmed[$0].count, $0) < (trimmed[$1].count, $1) }
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<min(start + max(1, batchSize), order.count)])
            start += chunk.count
            let batch = chunk.map { trimmed[$0] }
            let states = try lastHiddenStates(batch)  // [b, T, H]
            let t = states.shape[1]
            let hidden = states.contiguous().toArray()  // [b, T, H] flattened
            for (row, i) in chunk.enumerated() {
                let mask = batch[row].attentionMask
                var v = [Float](repeating: 0, count: h)
                switch pooling {
                case .cls:
                    let j = mask.firstIndex(of: 1)!
                    for k in 0..<h { v[k] = hidden[(row * t + j) * h + k] }
                case .mean:
                    var n = 0
                    for j in mask.indices where mask[j] == 1 {
                        n += 1
                        for k in 0..<h { v[k] += hidden[(row * t + j) * h + k] }
                    }
                    for k in 0..<h { v[k] /= Float(n) }
                }
                if normalize {
                    let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                    for k in 0..<h { v[k] /= norm }
                }
                result[i] = v
            }
        }
        return result
    }

    /// One vector per text, in input order: tokenized as `[CLS] text [SEP]` (truncated to
    /// `maxLength` tokens, default and at most `max_position_embeddings`), then as
    /// `sentenceEmbeddings(_: [Encoding], …)`. The tokenizer's
    /// own truncation is replaced by `maxLength` (as `transformers`' `truncation=True` to the
    /// model's maximum); its padding does not matter (masks are carried). An empty text gives
    /// the vector of `[CLS] [SEP]`.
    /// ```swift
    /// let dir = try BertModelDirectory(url)
    /// let model = try dir.loadBertModel(), tokenizer = try dir.loadTokenizer()
    /// let v = try model.sentenceEmbeddings(["A man is eating."], tokenizer: tokenizer, pooling: .mean,
    ///                                      normalize: true)   // [[Float]] of width H
    /// ```
    public func sentenceEmbeddings(_ texts: [String], tokenizer: BertTokenizer, maxLength: Int? = nil,
                                   pooling: Pooling, normalize: Bool = false, batchSize: Int = 32) throws
        -> [[Float]]
    {
        let limit = min(maxLength ?? maxPositions, maxPositions)
        guard limit >= 2 else { throw BertError.invalidInput("maxLength \(limit) leaves no room for [CLS] and [SEP]") }
        var t = tokenizer
        t.truncation = nil
        t.padding = nil
        // Long texts are cut to a prefix with the same first `limit` tokens before tokenizing.
        var capped = texts
        for i in capped.indices where capped[i].utf8.count > limit * PrefixBeforeTokenizing.bytesPerToken {
            capped[i] = try PrefixBeforeTokenizing.prefix(of: capped[i], limit: limit, tokenizer: t)
        }
        t.truncation = Truncation(maxLength: limit)
        return try sentenceEmbeddings(try t.encodeBatch(capped), pooling: pooling, normalize: normalize,
                                      batchSize: batchSize)
    }

    /// One vector per token-id sequence, in input order. **Every id given is a real token**
    /// (attention 1, type id 0): this overload never masks anything, so pass unpadded ids — or
    /// better, the tokenizer's `[Encoding]`s (`sentenceEmbeddings(_: [Encoding], …)`), whose
    /// attention masks say what is padding.
    ///
    /// A sequence that ends in the pad id (``padTokenId``) is refused: it is almost surely
    /// padded (a tokenizer's sequence ends in [SEP]) and averaging its [PAD] tokens as text would
    /// silently give a wrong vector. An empty sequence is refused too.
    /// ```swift
    /// let vectors = try model.sentenceEmbeddings([[101, 7592, 102]], pooling: .mean, normalize: true)
    /// ```
    public func sentenceEmbeddings(_ sequences: [[Int]], pooling: Pooling, normalize: Bool = false,
                                   batchSize: Int = 32) throws -> [[Float]] {
        let encodings = try sequences.enumerated().map { k, ids -> Encoding in
            guard let last = ids.last else {
                throw BertError.invalidInput("sequence \(k) is empty (expected at least [CLS])")
            }
            if last == padTokenId {
                throw BertError.invalidInput("sequence \(k) ends in the pad id \(last): it looks padded, and raw ids "
                    + "are all treated as real tokens; pass the tokenizer's encodings (their attention mask marks "
                    + "padding) or strip the padding")
            }
            return Encoding(ids: ids, typeIds: [Int](repeating: 0, count: ids.count),
                            attentionMask: [Int](repeating: 1, count: ids.count))
        }
        return try sentenceEmbeddings(encodings, pooling: pooling, normalize: normalize, batchSize: batchSize)
    }
}
