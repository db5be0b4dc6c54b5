import TensorCore
import Tokenization

extension BertInput {
    /// A padded batch built from tokenizer output: the ids, the attention mask and the type ids
    /// of every encoding are carried over as they are, and shorter encodings are padded on the
    /// right (pad id `config.padTokenId`, attention 0, type id 0) to the longest encoding of the
    /// batch, or to `length` when given.
    ///
    /// Padding the tokenizer already added (tokenizer.json's fixed padding, left or right) stays
    /// masked, so the model sees exactly what `transformers` sees for the same encodings.
    /// ```swift
    /// let encodings = try tokenizer.encodeBatch(["A man is eating food.", "A man is eating bread."])
    /// let input = try BertInput(encodings: encodings, config: model.config)   // [2, T]
    /// let hidden = withNoGrad { model(input) }.lastHiddenState                  // [2, T, H]
    /// ```
    /// - Parameters:
    ///   - encodings: one per row; each needs as many attention-mask values and type ids as ids,
    ///     and at least one token with attention 1.
    ///   - length: the padded length T (at least the longest encoding); nil: the longest encoding.
    /// - Throws: `BertError.invalidInput` naming the encoding (by index) that is empty, has no
    ///   attended token, has inconsistent arrays or is longer than `length`; and everything
    ///   ``init(inputIds:attentionMask:tokenTypeIds:config:)`` checks (ids in the vocabulary,
    ///   T ≤ max_position_embeddings, masks of 0 and 1).
    public init(encodings: [Encoding], length: Int? = nil, config: BertConfig) throws {
        guard !encodings.isEmpty else { throw BertError.invalidInput("no encodings: a batch needs at least one") }
        for (k, e) in encodings.enumerated() { try BertInput.validate(e, index: k) }
        let longest = encodings.map(\.count).max()!
        let t = length ?? longest
        if t < longest {
            let k = encodings.firstIndex { $0.count > t }!
            throw BertError.invalidInput("encoding \(k) has \(encodings[k].count) tokens, more than the length \(t)")
        }
        let b = encodings.count
        var ids = [Int](repeating: config.padTokenId, count: b * t)
        var mask = [Int](repeating: 0, count: b * t)
        var types = [Int](repeating: 0, count: b * t)
        for (row, e) in encodings.enumerated() {
            for j in 0..<e.count {
                ids[row * t + j] = e.ids[j]
                mask[row * t + j] = e.attentionMask[j]
                types[row * t + j] = e.typeIds[j]
            }
        }
        try self.init(inputIds: IntTensor(ids, shape: [b, t]),         // [B, T]
                      attentionMask: IntTensor(mask, shape: [b, t]),   // [B, T]
                      tokenTypeIds: IntTensor(types, shape: [b, t]),   // [B, T]
                      config: config)
    }

    /// Throws unless `e` has ids, equally many mask values and type ids, and an attended token.
    static func validate(_ e: Encoding, index k: Int) throws {
        guard e.count > 0 else { throw BertError.invalidInput("encoding \(k) is empty (expected at least [CLS])") }
        guard e.attentionMask.count == e.count, e.typeIds.count == e.count else {
            throw BertError.invalidInput("encoding \(k) has \(e.count) ids but \(e.attentionMask.count) attention-mask "
                + "values and \(e.typeIds.count) type ids (build encodings with a BertTokenizer)")
        }
        guard e.attentionMask.contains(1) else {
            throw BertError.invalidInput("encoding \(k) has no real token: its attention mask is all 0 (only padding)")
        }
    }
}
