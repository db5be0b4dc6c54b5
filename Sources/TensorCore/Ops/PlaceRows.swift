import CKernels

extension Tensor {
    /// The inverse of `indexSelect(axis: 0, indices:)` for distinct indices: a tensor of `rows`
    /// rows whose row `indices[j]` is this tensor's row `j`, every other row zero.
    ///
    /// Used to run per-token layers on the real tokens of a padded batch only ([N, H] for N real
    /// positions of B·T) and put them back in place for attention. The backward gathers the
    /// gradient's rows `indices` (the rows of zeros get none).
    ///
    /// - Parameters:
    ///   - indices: `shape[0]` distinct row numbers in `0..<rows`.
    ///   - rows: the number of rows of the result.
    /// - Returns: shape `[rows] + shape[1...]`.
    ///
    /// ```swift
    /// let real = IntTensor([0, 1, 4], shape: [3])                  // positions of real tokens in B·T = 6
    /// let packed = hidden.reshape([6, h]).indexSelect(axis: 0, indices: real)  // [3, H]
    /// let padded = packed.placeRows(at: real, rows: 6)             // [6, H], rows 2, 3, 5 zero
    /// ```
    public func placeRows(at indices: IntTensor, rows: Int) -> Tensor {
        let op = "placeRows"
        check(rank >= 1 && indices.rank == 1 && indices.count == shape[0],
              "\(op): needs one index per row, got indices \(indices.shape) for shape \(shape)")
        check(rows >= 0, "\(op): rows \(rows) is negative")
        var seen = [Bool](repeating: false, count: rows)
        for i in indices.values {
            check(i >= 0 && i < rows, "\(op): index \(i) out of range 0..<\(rows) for shape \(shape)")
            check(!seen[i], "\(op): index \(i) appears twice (indices must be distinct) for shape \(shape)")
            seen[i] = true
        }
        let inner = shape.dropFirst().reduce(1, *)
        var outShape = shape
        outShape[0] = rows
        let out = Tensor.empty(outShape)
        let source = detached().contiguous()
        let po = out.baseAddress, ps = UnsafePointer(source.baseAddress)
        withExtendedLifetime(source) {
            KernelParallel.forEachRowRange(rows: rows, rowSize: inner) { start, count in
                for r in start..<(start + count) where !seen[r] { ck_fill(po + r * inner, 0, Int64(inner)) }
            }
            indices.values.withUnsafeBufferPointer { idx in
                KernelParallel.forEachRowRange(rows: idx.count, rowSize: inner) { start, count in
                    for j in start..<(start + count) { (po + idx[j] * inner).update(from: ps + j * inner, count: inner) }
                }
            }
        }
        guard Tensor.needsGradient(self) else { return out }
        return Tensor.record(op: "place_rows", inputs: [self], output: out) { g in
            [g.indexSelect(axis: 0, indices: indices)]
        }
    }
}
