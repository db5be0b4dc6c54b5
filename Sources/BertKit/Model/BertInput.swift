import TensorCore

/// One batch of model inputs, validated against a config before any tensor work.
///
/// Conventions (as in Hugging Face): `attentionMask` is 1 for real tokens and 0 for padding
/// (keys with 0 are not attended to); `tokenTypeIds` are segment ids (0 for sentence A, 1 for B),
/// zeros when omitted. Positions are 0..<T.
/// ```swift
/// let input = try BertInput(inputIds: IntTensor(ids, shape: [2, 8]),
///                           attentionMask: IntTensor(mask, shape: [2, 8]), config: config)
/// ```
public struct BertInput: Sendable {
    /// Token ids, [B, T].
    public var inputIds: IntTensor
    /// 1 = attend, 0 = padding, [B, T].
    public var attentionMask: IntTensor
    /// Segment ids, [B, T].
    public var tokenTypeIds: IntTensor

    public var batchSize: Int { inputIds.shape[0] }
    public var sequenceLength: Int { inputIds.shape[1] }

    /// Validates shapes and ranges; throws `BertError.invalidInput` naming the problem.
    public init(inputIds: IntTensor, attentionMask: IntTensor? = nil, tokenTypeIds: IntTensor? = nil,
                config: BertConfig) throws {
        guard inputIds.shape.count == 2, inputIds.shape[0] > 0, inputIds.shape[1] > 0 else {
            throw BertError.invalidInput("input_ids must have shape [batch, length] with both > 0, got \(inputIds.shape)")
        }
        let (b, t) = (inputIds.shape[0], inputIds.shape[1])
        if t > config.maxPositionEmbeddings {
            throw BertError.invalidInput(
                "sequence length \(t) exceeds max_position_embeddings \(config.maxPositionEmbeddings)")
        }
        if let i = inputIds.values.firstIndex(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw BertError.invalidInput(
                "input_ids[\(i / t)][\(i % t)] = \(inputIds.values[i]) is outside the vocabulary 0..<\(config.vocabSize)")
        }
        if let m = attentionMask {
            guard m.shape == [b, t] else {
                throw BertError.invalidInput("attention_mask shape \(m.shape) does not match input_ids shape \([b, t])")
            }
            if let i = m.values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw BertError.invalidInput("attention_mask[\(i / t)][\(i % t)] = \(m.values[i]) is not 0 or 1")
            }
        }
        if let tt = tokenTypeIds {
            guard tt.shape == [b, t] else {
                throw BertError.invalidInput("token_type_ids shape \(tt.shape) does not match input_ids shape \([b, t])")
            }
            if let i = tt.values.firstIndex(where: { $0 < 0 || $0 >= config.typeVocabSize }) {
                throw BertError.invalidInput(
                    "token_type_ids[\(i / t)][\(i % t)] = \(tt.values[i]) is outside 0..<\(config.typeVocabSize)")
            }
        }
        self.inputIds = inputIds
        self.attentionMask = attentionMask ?? IntTensor([Int](repeating: 1, count: b * t), shape: [b, t])
        self.tokenTypeIds = tokenTypeIds ?? IntTensor([Int](repeating: 0, count: b * t), shape: [b, t])
    }

    /// The additive attention bias HF uses: 0 where attended, the most negative Float32
    /// (-3.4028235e38, `finfo.min`) where masked; added to the scaled scores. A fully padded row
    /// therefore attends uniformly and stays finite, as in `transformers`.
    /// - Parameter causal: also mask keys after the query (decoder self-attention).
    /// - Returns: [B, 1, 1, T] (bidirectional) or [B, 1, T, T] (causal).
    public func extendedAttentionMask(causal: Bool = false) -> Tensor {
        let (b, t) = (batchSize, sequenceLength)
        let masked = -Float.greatestFiniteMagnitude
        if !causal {
            let v = attentionMask.values.map { $0 == 0 ? masked : 0 }
            return Tensor(v, shape: [b, 1, 1, t])  // [B, 1, 1, T]
        }
        var v = [Float](repeating: 0, count: b * t * t)
        for bi in 0..<b {
            for l in 0..<t {
                for r in 0..<t where r > l || attentionMask.values[bi * t + r] == 0 {
                    v[(bi * t + l) * t + r] = masked
                }
            }
        }
        return Tensor(v, shape: [b, 1, t, t])  // [B, 1, T, T]
    }
}
