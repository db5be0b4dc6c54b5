import TensorCore
import Tokenization

/// The collator of fine-tuning and prediction (HF's `DataCollatorWithPadding`): encodings padded on
/// the right to the longest of the batch with the tokenizer's `[PAD]` id, attention mask 0 and type
/// id 0 there — ``BertInput/init(encodings:length:config:)`` with the tokenizer's pad id — plus the
/// padding of per-token labels.
///
/// ```swift
/// let encodings = try tokenizer.encodeBatch(["a film", "a very long film"])
/// let input = try EncodingCollation.input(encodings, padId: 0, config: config)   // [2, 6]
/// ```
public enum EncodingCollation {
    /// [B, T] model input for `encodings`, padded to `sequenceLength` (the longest when nil)
    /// with `padId`.
    /// - Throws: `BertError.invalidInput` as ``BertInput/init(encodings:length:config:)`` does
    ///   (ids outside the vocabulary, a length over `max_position_embeddings`, an encoding
    ///   longer than `sequenceLength`).
    public static func input(_ encodings: [Encoding], sequenceLength: Int? = nil, padId: Int,
                             config: BertConfig) throws -> BertInput {
        var padding = config
        padding.padTokenId = padId
        return try BertInput(encodings: encodings, length: sequenceLength, config: padding)
    }

    /// [B, N, T] ids, attention mask and type ids of B examples of N encodings each, the B·N
    /// sequences padded on the right to their longest with `padId` (HF `DataCollatorForMultipleChoice`).
    /// - Throws: `BertError.invalidInput` when the examples have different N (or what
    ///   ``input(_:sequenceLength:padId:config:)`` throws).
    public static func choices(_ examples: [[Encoding]], padId: Int, config: BertConfig) throws
        -> (inputIds: IntTensor, attentionMask: IntTensor, tokenTypeIds: IntTensor)
    {
        let n = examples.first?.count ?? 0
        guard examples.allSatisfy({ $0.count == n }) else {
            throw BertError.invalidInput("multiple-choice batch: examples with \(Set(examples.map(\.count)).sorted()) choices")
        }
        let input = try Self.input(examples.flatMap { $0 }, padId: padId, config: config)  // [B·N, T]
        let shape = [examples.count, n, input.sequenceLength]
        return (IntTensor(input.inputIds.values, shape: shape),             // [B, N, T]
                IntTensor(input.attentionMask.values, shape: shape),        // [B, N, T]
                IntTensor(input.tokenTypeIds.values, shape: shape))         // [B, N, T]
    }

    /// `values` padded with `fill` to [B, T] (token labels, -100 on padding).
    public static func padded(_ values: [[Int]], sequenceLength t: Int, fill: Int) -> IntTensor {
        var out = [Int](repeating: fill, count: values.count * t)
        for (row, v) in values.enumerated() {
            for k in 0..<min(v.count, t) { out[row * t + k] = v[k] }
        }
        return IntTensor(out, shape: [values.count, t])
    }
}
