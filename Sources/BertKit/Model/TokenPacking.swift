import TensorCore

/// The real (attended) positions of a padded batch, so that the per-token layers — the
/// projections, feed-forward blocks, LayerNorms and dropouts, nearly all of a BERT step — run on
/// the N real tokens only ([N, H]) instead of all B·T positions; only attention sees the padded
/// [B, T, …] layout. On GLUE-style batches padded to their longest sentence, about two thirds of
/// the positions are padding.
///
/// The real tokens' values are those of the padded computation (padding keys are masked out of
/// every attention row exactly); padding positions come back as zeros.
///
/// ```swift
/// if let packing = TokenPacking(attentionMask: input.attentionMask) {
///     let tokens = packing.pack(hidden)       // [B, T, H] → [N, H]
///     let back = packing.unpack(tokens)       // [N, H] → [B, T, H], zeros at padding
/// }
/// ```
public struct TokenPacking: Sendable {
    public let batch: Int
    public let length: Int
    /// Row-major positions `b·T + t` of the real tokens, ascending ([N]).
    public let rows: IntTensor

    /// Nil when `attentionMask` ([B, T], 1 real / 0 padding) has no padding: nothing to skip.
    public init?(attentionMask: IntTensor) {
        check(attentionMask.rank == 2, "TokenPacking: needs a [B, T] attention mask, got shape \(attentionMask.shape)")
        let values = attentionMask.values
        let real = values.indices.filter { values[$0] != 0 }
        guard real.count < values.count else { return nil }
        batch = attentionMask.shape[0]
        length = attentionMask.shape[1]
        rows = IntTensor(real, shape: [real.count])
    }

    /// Number of real tokens N.
    public var count: Int { rows.count }

    /// [B, T, W] → [N, W]: the rows of the real tokens (gradients flow back to them).
    public func pack(_ x: Tensor) -> Tensor {
        check(x.rank == 3 && x.shape[0] == batch && x.shape[1] == length,
              "TokenPacking.pack: needs [\(batch), \(length), W], got shape \(x.shape)")
        return x.reshape([batch * length, x.shape[2]]).indexSelect(axis: 0, indices: rows)  // [N, W]
    }

    /// [N, W] → [B, T, W] with zeros at the padding positions.
    public func unpack(_ x: Tensor) -> Tensor {
        check(x.rank == 2 && x.shape[0] == count, "TokenPacking.unpack: needs [\(count), W], got shape \(x.shape)")
        return x.placeRows(at: rows, rows: batch * length).reshape([batch, length, x.shape[1]])  // [B, T, W]
    }
}
