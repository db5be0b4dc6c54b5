import CKernels

// Row gathers: indexSelect / embedding (forward copies rows, backward scatter-adds them) and
// torch-style gather along an axis.
extension Tensor {
    /// Selects entries along `axis` by index: `result[..., j, ...] = self[..., indices[j], ...]`,
    /// as `torch.index_select`. Repeated indices are allowed; their gradients add up.
    ///
    /// - Parameters:
    ///   - axis: the axis to index (negative counts from the end).
    ///   - indices: a 1-D tensor of indices in `0..<shape[axis]`.
    /// - Returns: `shape` with `shape[axis]` replaced by `indices.count`.
    ///
    /// ```swift
    /// let rows = table.indexSelect(axis: 0, indices: IntTensor([3, 1, 3], shape: [3]))  // [3, D]
    /// ```
    public func indexSelect(axis: Int, indices: IntTensor) -> Tensor {
        let a = normalizedAxis(axis, op: "indexSelect")
        check(indices.rank == 1, "indexSelect: indices must be 1-D, got shape \(indices.shape) (input shape \(shape))")
        let size = shape[a]
        for i in indices.values {
            check(i >= 0 && i < size, "indexSelect: index \(i) out of range 0..<\(size) on axis \(a) of shape \(shape)")
        }
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        var outShape = shape
        outShape[a] = indices.count
        let out = Tensor.gatherBlocks(from: detached().contiguous(), outer: outer, size: size,
                                      inner: inner, indices: indices.values, skip: nil, outShape: outShape)
        guard Tensor.needsGradient(self) else { return out }
        let inputShape = shape
        return Tensor.recordAccumulating(op: "index_select", input: self, output: out) { g, into in
            into = Tensor.scatterAddBlocks(g.contiguous(), outer: outer, size: size, inner: inner,
                                           indices: indices.values, skip: nil, shape: inputShape, into: into)
        }
    }

    /// Copies blocks `source[o, indices[j], :]` (of `inner` floats) into a new tensor of
    /// `outShape`; positions whose index equals `skip` are copied too (the padding row's value).
    static func gatherBlocks(from source: Tensor, outer: Int, size: Int, inner: Int,
                             indices: [Int], skip: Int?, outShape: [Int]) -> Tensor {
        let out = Tensor.empty(outShape)
        let ps = UnsafePointer(source.baseAddress), po = out.baseAddress
        let k = indices.count
        withExtendedLifetime(source) {
            indices.withUnsafeBufferPointer { idx in
                KernelParallel.forEachRowRange(rows: outer * k, rowSize: inner) { start, count in
                    for r in start..<(start + count) {
                        let o = r / k, j = r % k
                        (po + r * inner).update(from: ps + (o * size + idx[j]) * inner, count: inner)
                    }
                }
            }
        }
        return out
    }

    /// The gradient of ``gatherBlocks``: zeros of `shape` with `grad[o, j, :]` added into block
    /// `[o, indices[j], :]`, skipping positions whose index equals `skip`. Deterministic: each
    /// core owns a range of columns and adds rows in index order.
    /// With `into`, adds into that tensor (contiguous, of `shape`) instead of into zeros.
    static func scatterAddBlocks(_ grad: Tensor, outer: Int, size: Int, inner: Int,
                                 indices: [Int], skip: Int?, shape: [Int], into target: Tensor? = nil) -> Tensor {
        let out: Tensor
        if let target {
            check(target.shape == shape && target.isContiguous, "scatterAddBlocks: target \(target.shape) is not a contiguous \(shape)")
            out = target
        } else {
            out = Tensor.empty(shape)
            let po = out.baseAddress
            KernelParallel.forEachElementRange(count: out.count) { start, length in
                ck_fill(po + start, 0, Int64(length))
            }
        }
        let po = out.baseAddress
        let pg = UnsafePointer(grad.baseAddress)
        let k = indices.count
        // Split the inner (column) range across cores, so no two cores touch one element.
        let columnChunks = KernelParallel.chunkCount(rows: inner, rowSize: outer * k)
        withExtendedLifetime(grad) {
            indices.withUnsafeBufferPointer { idx in
                KernelParallel.forEachChunk(rows: inner, chunks: columnChunks) { _, c0, cn in
                    for o in 0..<outer {
                        for j in 0..<k where idx[j] != skip {
                            let dst = po + (o * size + idx[j]) * inner + c0
                            let src = pg + (o * k + j) * inner + c0
                            for c in 0..<cn { dst[c] += src[c] }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Embedding lookup: `result[..., :] = weight[indices[...], :]`, as
/// `torch.nn.functional.embedding`.
///
/// The backward scatter-adds the upstream gradient into the rows of `weight` that were looked
/// up (repeated ids add up); the row `paddingIndex` receives no gradient.
///
/// - Parameters:
///   - weight: the table, `[count, dimension]`.
///   - indices: ids in `0..<count`, any shape.
///   - paddingIndex: a row that never receives a gradient (its value is still returned).
/// - Returns: `indices.shape + [dimension]`.
///
/// ```swift
/// let h = embedding(weight: table.value, indices: ids, paddingIndex: 0)   // [B, T, H]
/// ```
public func embedding(weight: Tensor, indices: IntTensor, paddingIndex: Int? = nil) -> Tensor {
    check(weight.rank == 2, "embedding: weight must be [count, dimension], got shape \(weight.shape) (indices shape \(indices.shape))")
    let count = weight.shape[0], dimension = weight.shape[1]
    if let paddingIndex {
        check(paddingIndex >= 0 && paddingIndex < count, "embedding: paddingIndex \(paddingIndex) out of range for weight shape \(weight.shape)")
    }
    for i in indices.values {
        check(i >= 0 && i < count, "embedding: index \(i) out of range for weight shape \(weight.shape) (indices shape \(indices.shape))")
    }
    let out = Tensor.gatherBlocks(from: weight.detached().contiguous(), outer: 1, size: count,
                                  inner: dimension, indices: indices.values, skip: paddingIndex,
                                  outShape: indices.shape + [dimension])
    guard Tensor.needsGradient(weight) else { return out }
    let weightShape = weight.shape
    // The table's gradient is a scatter of a few rows: added into the gradient it already has
    // (e.g. from a tied MLM decoder) instead of a zero-filled [count, dimension] one.
    return Tensor.recordAccumulating(op: "embedding", input: weight, output: out) { g, into in
        into = Tensor.scatterAddBlocks(g.contiguous(), outer: 1, size: count, inner: dimension,
                                       indices: indices.values, skip: paddingIndex, shape: weightShape, into: into)
    }
}
