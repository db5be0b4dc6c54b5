extension Tensor {
    /// Gathers values along `axis` with a per-position index, as `torch.gather`:
    /// for a 3-D input and `axis == 1`, `result[i][j][k] = self[i][indices[i][j][k]][k]`.
    ///
    /// - Parameters:
    ///   - axis: the axis the indices select along (negative counts from the end).
    ///   - indices: same rank as `self`; `indices.shape[d] <= shape[d]` for every `d != axis`,
    ///     values in `0..<shape[axis]`.
    /// - Returns: a tensor of shape `indices.shape`. The backward scatter-adds into `self`'s shape.
    ///
    /// ```swift
    /// // pick each row's target logit: [N, C] -> [N, 1]
    /// let picked = logits.gather(axis: 1, indices: IntTensor(targets, shape: [n, 1]))
    /// ```
    public func gather(axis: Int, indices: IntTensor) -> Tensor {
        let a = normalizedAxis(axis, op: "gather")
        check(indices.rank == rank, "gather: indices rank \(indices.rank) (shape \(indices.shape)) differs from input shape \(shape)")
        for d in 0..<rank where d != a {
            check(indices.shape[d] <= shape[d], "gather: indices shape \(indices.shape) exceeds input shape \(shape) on axis \(d)")
        }
        for i in indices.values {
            check(i >= 0 && i < shape[a], "gather: index \(i) out of range 0..<\(shape[a]) on axis \(a) of shape \(shape)")
        }
        let sourceOffsets = Tensor.gatherOffsets(indexShape: indices.shape, indices: indices.values,
                                                 axis: a, strides: strides)
        let x = detached()
        let out = Tensor.empty(indices.shape)
        let px = UnsafePointer(x.baseAddress), po = out.baseAddress
        withExtendedLifetime(x) {
            for (i, offset) in sourceOffsets.enumerated() { po[i] = px[offset] }
        }
        guard Tensor.needsGradient(self) else { return out }
        let inputShape = shape
        return Tensor.record(op: "gather", inputs: [self], output: out) { g in
            let gc = g.contiguous()
            let dx = Tensor.zeros(inputShape)
            let denseOffsets = Tensor.gatherOffsets(indexShape: indices.shape, indices: indices.values,
                                                    axis: a, strides: dx.strides)
            let pg = UnsafePointer(gc.baseAddress), pd = dx.baseAddress
            withExtendedLifetime(gc) {
                for (i, offset) in denseOffsets.enumerated() { pd[offset] += pg[i] }
            }
            return [dx]
        }
    }

    /// Element offsets (relative to `baseAddress`, for a tensor with `strides`) that each
    /// position of the index tensor reads, in row-major index order.
    static func gatherOffsets(indexShape: [Int], indices: [Int], axis: Int, strides: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: indices.count)
        var counter = [Int](repeating: 0, count: indexShape.count)
        var base = 0  // offset of `counter` with the axis coordinate left out
        for i in 0..<indices.count {
            result[i] = base + indices[i] * strides[axis]
            var d = indexShape.count - 1
            while d >= 0 {
                counter[d] += 1
                if d != axis { base += strides[d] }
                if counter[d] < indexShape[d] { break }
                if d != axis { base -= strides[d] * indexShape[d] }
                counter[d] = 0
                d -= 1
            }
        }
        return result
    }
}
