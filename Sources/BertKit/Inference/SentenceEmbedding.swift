import Foundation
import TensorCore
import Tokenization

/// How a sequence becomes one vector.
public enum Pooling: String, Sendable, CaseIterable {
    /// The [CLS] (first token) last hidden state.
    case cls
    /// Mean of the last hidden state over the attention mask (sentence-transformers style).
    case mean
}

extension BertModel {
    /// One vector per text, in input order: tokenized as `[CLS] text [SEP]` (truncated to
    /// `maxLength` tokens, default and at most `max_position_embeddings`), then as
    /// ``sentenceEmbeddings(_:pooling:normalize:batchSize:)``. The tokenizer's own truncation
    /// and padding settings are replaced. An empty text gives the vector of `[CLS] [SEP]`.
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
        let limit = min(maxLength ?? config.maxPositionEmbeddings, config.maxPositionEmbeddings)
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
        let ids = try t.encodeBatch(capped).map(\.ids)
        return try sentenceEmbeddings(ids, pooling: pooling, normalize: normalize, batchSize: batchSize)
    }

    /// One vector per token-id sequence, in input order.
    ///
    /// Sequences are sorted by length and run in padded batches of `batchSize` (padding does not
    /// change the result: padded keys get zero attention weight). Empty sequences are not allowed
    /// (a tokenizer gives at least [CLS] [SEP]). No gradient is recorded.
    /// ```swift
    /// let vectors = try model.sentenceEmbeddings(ids, pooling: .mean, normalize: true)
    /// ```
    public func sentenceEmbeddings(_ sequences: [[Int]], pooling: Pooling, normalize: Bool = false,
                                   batchSize: Int = 32) throws -> [[Float]] {
        let h = config.hiddenSize
        var result = [[Float]](repeating: [], count: sequences.count)
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<min(start + max(1, batchSize), order.count)])
            start += chunk.count
            let t = chunk.map { sequences[$0].count }.max()!
            guard t > 0 else { throw BertError.invalidInput("an input sequence is empty (expected at least [CLS])") }
            var ids = [Int](repeating: config.padTokenId, count: chunk.count * t)
            var mask = [Int](repeating: 0, count: chunk.count * t)
            for (row, i) in chunk.enumerated() {
                for (j, id) in sequences[i].enumerated() { ids[row * t + j] = id; mask[row * t + j] = 1 }
            }
            let out = try withNoGrad {
                try self(inputIds: IntTensor(ids, shape: [chunk.count, t]),
                         attentionMask: IntTensor(mask, shape: [chunk.count, t]))
            }
            let hidden = out.lastHiddenState.contiguous().toArray()  // [b, T, H] flattened
            for (row, i) in chunk.enumerated() {
                var v = [Float](repeating: 0, count: h)
                switch pooling {
                case .cls:
                    for k in 0..<h { v[k] = hidden[(row * t) * h + k] }
                case .mean:
                    let n = sequences[i].count
                    for j in 0..<n { for k in 0..<h { v[k] += hidden[(row * t + j) * h + k] } }
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
}
