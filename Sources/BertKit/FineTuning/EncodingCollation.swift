import TensorCore
import Tokenization

/// Pads unpadded `Encoding`s (ids, type ids) to the longest of the batch and builds the
/// validated model input — the collator of fine-tuning and prediction (HF's
/// `DataCollatorWithPadding`: padding on the right with `padId`, attention mask 0 there, type id 0).
///
/// ```swift
/// let encodings = try tokenizer.encodeBatch(["a film", "a very long film"])
/// let input = try EncodingCollation.input(encodings, padId: 0, config: config)   // [2, 6]
/// ```
public enum EncodingCollation {
    /// The padded length of `encodings` (the longest; at least 1).
    public static func length(_ encodings: [Encoding]) -> Int {
        max(1, encodings.map(\.count).max() ?? 0)
    }

    /// [B, T] model input for `encodings`, padded to `sequenceLength` (the longest when nil).
    /// - Throws: `BertError.invalidInput` when an id is outside the model's vocabulary or the
    ///   length exceeds `max_position_embeddings`.
    public static func input(_ encodings: [Encoding], sequenceLength: Int? = nil, padId: Int,
                             config: BertConfig) throws -> BertInput {
        let t = sequenceLength ?? length(encodings)
        let b = encodings.count
        var ids = [Int](repeating: padId, count: b * t), types = [Int](repeating: 0, count: b * t)
        var mask = [Int](repeating: 0, count: b * t)
        for (row, e) in encodings.enumerated() {
            check(e.count <= t, "EncodingCollation: an encoding of \(e.count) tokens is longer than \(t)")
            for k in 0..<e.count {
                ids[row * t + k] = e.ids[k]
                types[row * t + k] = e.typeIds.isEmpty ? 0 : e.typeIds[k]
                mask[row * t + k] = e.attentionMask.isEmpty ? 1 : e.attentionMask[k]
            }
        }
        return try BertInput(inputIds: IntTensor(ids, shape: [b, t]), attentionMask: IntTensor(mask, shape: [b, t]),
                             tokenTypeIds: IntTensor(types, shape: [b, t]), config: config)
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
