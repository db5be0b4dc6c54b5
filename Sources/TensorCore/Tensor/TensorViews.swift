import CKernels

// Layout-changing ops. Each returns a view sharing storage when the layout allows it and
// records a node whose backward maps the gradient back to the input's layout.
extension Tensor {
    /// A view (or, when strides do not allow one, a contiguous copy) of the layout of
    /// `layout` over this tensor's storage, recorded with `backward`.
    private func view(shape: [Int], strides: [Int], offset: Int, op: String,
                      backward: @escaping @Sendable (Tensor) -> Tensor) -> Tensor {
        let out = Tensor(shape: shape, strides: strides, offset: offset, storage: storage)
        return Tensor.record(op: op, inputs: [self], output: out) { g in [backward(g)] }
    }

    /// This tensor if already contiguous (no copy), else a contiguous copy.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let out = contiguousValues()
        return Tensor.record(op: "contiguous", inputs: [self], output: out) { g in [g] }
    }

    /// The same elements with a new shape (one dimension may be `-1`). A view when this tensor
    /// is contiguous, else a copy.
    ///
    /// ```swift
    /// let x2 = x.reshape([-1, 768])     // [B*T, 768]
    /// ```
    public func reshape(_ newShape: [Int]) -> Tensor {
        let resolved = Tensor.resolveShape(newShape, count: count, op: "reshape")
        if resolved == shape { return self }
        let source = contiguous()
        let inputShape = shape
        return source.view(shape: resolved, strides: Tensor.contiguousStrides(for: resolved),
                           offset: source.offset, op: "reshape") { g in g.reshape(inputShape) }
    }

    /// Reorders dimensions: result axis `i` is input axis `axes[i]`. Always a view.
    ///
    /// ```swift
    /// let heads = x.reshape([B, T, H, D]).permute([0, 2, 1, 3])   // [B, H, T, D]
    /// ```
    public func permute(_ axes: [Int]) -> Tensor {
        let normalized = axes.map { normalizedAxis($0, op: "permute") }
        check(normalized.count == rank && Set(normalized).count == rank,
                     "permute: axes \(axes) are not a permutation for shape \(shape)")
        if normalized == Array(0..<rank) { return self }
        var inverseAxes = [Int](repeating: 0, count: rank)
        for (i, a) in normalized.enumerated() { inverseAxes[a] = i }
        let inverse = inverseAxes
        return view(shape: normalized.map { shape[$0] }, strides: normalized.map { strides[$0] },
                    offset: offset, op: "permute") { g in g.permute(inverse) }
    }

    /// Swaps two dimensions (default: the last two). Always a view; `matmul` reads such views
    /// through BLAS transpose flags without copying.
    ///
    /// ```swift
    /// let wT = weight.transposed()      // [in, out] view of [out, in]
    /// ```
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let x = normalizedAxis(a, op: "transposed"), y = normalizedAxis(b, op: "transposed")
        var axes = Array(0..<rank)
        axes.swapAt(x, y)
        return permute(axes)
    }

    /// Elements `start ..< start + length` along `axis`. Always a view.
    ///
    /// ```swift
    /// let cls = hidden.narrow(axis: 1, start: 0, length: 1)     // [B, 1, H]
    /// ```
    public func narrow(axis: Int, start: Int, length: Int) -> Tensor {
        let ax = normalizedAxis(axis, op: "narrow")
        check(start >= 0 && length >= 0 && start + length <= shape[ax],
                     "narrow: range \(start)..<\(start + length) out of bounds for axis \(axis) of shape \(shape)")
        var newShape = shape
        newShape[ax] = length
        let inputShape = shape
        return view(shape: newShape, strides: strides, offset: offset + start * strides[ax],
                    op: "narrow") { g in
            let full = Tensor.zeros(inputShape)
            let region = Tensor(shape: g.shape, strides: full.strides,
                                offset: start * full.strides[ax], storage: full.storage)
            ElementwiseKernel.unary(TC_COPY, g, into: region)
            return full
        }
    }

    /// Same as ``narrow(axis:start:length:)``.
    public func slice(axis: Int, start: Int, length: Int) -> Tensor {
        narrow(axis: axis, start: start, length: length)
    }

    /// Broadcasts to `target` (NumPy rules: new leading dimensions, size-1 dimensions stretch)
    /// as a stride-0 view; backward sums the gradient back.
    public func expand(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let newStrides = broadcastStrides(to: target, op: "expand")
        let inputShape = shape
        return view(shape: target, strides: newStrides, offset: offset, op: "expand") { g in
            g.sumToShape(inputShape)
        }
    }

    /// Removes dimension `axis`, which must have size 1. A view.
    public func squeeze(axis: Int) -> Tensor {
        let ax = normalizedAxis(axis, op: "squeeze")
        check(shape[ax] == 1, "squeeze: axis \(axis) of shape \(shape) is not 1")
        var newShape = shape, newStrides = strides
        newShape.remove(at: ax)
        newStrides.remove(at: ax)
        return view(shape: newShape, strides: newStrides, offset: offset, op: "squeeze") { g in
            g.unsqueeze(axis: ax)
        }
    }

    /// Removes every dimension of size 1. A view.
    public func squeeze() -> Tensor {
        let keep = shape.indices.filter { shape[$0] != 1 }
        if keep.count == rank { return self }
        let inputShape = shape
        return view(shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset,
                    op: "squeeze") { g in g.reshape(inputShape) }
    }

    /// Inserts a dimension of size 1 at `axis` (`0...rank`; negative counts from the end of the
    /// result). A view.
    public func unsqueeze(axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + rank + 1 : axis
        check(ax >= 0 && ax <= rank, "unsqueeze: axis \(axis) out of range for shape \(shape)")
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: ax)
        newStrides.insert(ax < rank ? strides[ax] * shape[ax] : 1, at: ax)
        return view(shape: newShape, strides: newStrides, offset: offset, op: "unsqueeze") { g in
            g.squeeze(axis: ax)
        }
    }

    /// Merges dimensions `startAxis...endAxis` into one.
    public func flatten(startAxis: Int = 0, endAxis: Int = -1) -> Tensor {
        let s = normalizedAxis(startAxis, op: "flatten"), e = normalizedAxis(endAxis, op: "flatten")
        check(s <= e, "flatten: startAxis \(startAxis) after endAxis \(endAxis) for shape \(shape)")
        let merged = shape[s...e].reduce(1, *)
        return reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }
}
