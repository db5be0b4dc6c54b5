// Joining and splitting along an axis. concat copies each input once into the result; the
// backward hands each input a view (narrow) of the upstream gradient. split returns views.
extension Tensor {
    /// Concatenates tensors along `axis`, as `torch.cat`. All inputs must have the same shape
    /// except along `axis`.
    ///
    /// ```swift
    /// let both = Tensor.concat([a, b], axis: 1)   // [B, Ta + Tb, H]
    /// ```
    public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "concat: needs at least one tensor")
        let first = tensors[0]
        let a = first.normalizedAxis(axis, op: "concat")
        for t in tensors {
            check(t.rank == first.rank && t.shape.indices.allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                         "concat: shape \(t.shape) does not match shape \(first.shape) outside axis \(a)")
        }
        let sizes = tensors.map { $0.shape[a] }
        let total = sizes.reduce(0, +)
        var outShape = first.shape
        outShape[a] = total
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let out = Tensor.empty(outShape)
        let po = out.baseAddress
        var start = 0
        for (t, size) in zip(tensors, sizes) {
            let c = t.detached().contiguous()
            let pc = UnsafePointer(c.baseAddress)
            let block = size * inner
            withExtendedLifetime(c) {
                for o in 0..<outer where block > 0 {
                    (po + (o * total + start) * inner).update(from: pc + o * block, count: block)
                }
            }
            start += size
        }
        guard GradMode.isEnabled, tensors.contains(where: { $0.requiresGrad }) else { return out }
        return Tensor.record(op: "concat", inputs: tensors, output: out) { g in
            var offset = 0
            return sizes.map { size in
                defer { offset += size }
                return g.narrow(axis: a, start: offset, length: size)
            }
        }
    }

    /// Stacks equally shaped tensors along a new axis, as `torch.stack`.
    ///
    /// ```swift
    /// let batch = Tensor.stack([x0, x1, x2], axis: 0)   // [3, ...]
    /// ```
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "stack: needs at least one tensor")
        let shape = tensors[0].shape
        for t in tensors {
            check(t.shape == shape, "stack: shape \(t.shape) differs from shape \(shape)")
        }
        let a = axis < 0 ? axis + shape.count + 1 : axis
        check(a >= 0 && a <= shape.count, "stack: axis \(axis) out of range for shape \(shape)")
        return concat(tensors.map { $0.unsqueeze(axis: a) }, axis: a)
    }

    /// Splits into consecutive pieces along `axis` with the given sizes (which must add up to
    /// `shape[axis]`), as `torch.split` with a list. Each piece is a view.
    ///
    /// ```swift
    /// let parts = qkv.split(sizes: [768, 768, 768], axis: -1)   // 3 × [B, T, 768]
    /// ```
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let a = normalizedAxis(axis, op: "split")
        check(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[a],
                     "split: sizes \(sizes) do not add up to \(shape[a]) (axis \(a) of shape \(shape))")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return narrow(axis: a, start: start, length: size)
        }
    }
}
