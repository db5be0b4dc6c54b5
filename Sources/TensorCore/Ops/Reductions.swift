import CKernels

// Sum and mean over axes. Reduced axes are dropped unless `keepDim`.
extension Tensor {
    func normalizedAxes(_ axes: [Int], op: String) -> Set<Int> {
        let set = Set(axes.map { normalizedAxis($0, op: op) })
        check(set.count == axes.count, "\(op): repeated axis in \(axes) for shape \(shape)")
        return set
    }

    /// Shape after reducing `axes` (kept as 1 when `keepDim`).
    func reducedShape(_ axes: Set<Int>, keepDim: Bool) -> [Int] {
        keepDim ? shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
                : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    }

    /// Sum over `axes` (negative axes count from the end).
    ///
    /// ```swift
    /// let rowSums = x.sum(axes: [-1])                  // [B, T]
    /// let colSums = x.sum(axes: [0], keepDim: true)    // [1, H]
    /// ```
    public func sum(axes: [Int], keepDim: Bool = false) -> Tensor {
        let set = normalizedAxes(axes, op: "sum")
        if set.isEmpty { return self }
        var out = ElementwiseKernel.reduce(TC_SUM, self, axes: set)
        let keptShape = out.shape
        if !keepDim { out = out.reshape(reducedShape(set, keepDim: false)) }
        let inputShape = shape
        return Tensor.record(op: "sum", inputs: [self], output: out) { g in
            [g.reshape(keptShape).expand(to: inputShape)]
        }
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDim: Bool = false) -> Tensor { sum(axes: [axis], keepDim: keepDim) }

    /// Sum of all elements as a scalar (shape `[]`).
    public func sum() -> Tensor { sum(axes: Array(0..<rank)) }

    /// Mean over `axes`.
    public func mean(axes: [Int], keepDim: Bool = false) -> Tensor {
        let set = normalizedAxes(axes, op: "mean")
        let n = set.reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDim: keepDim) * (1 / Float(n))
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDim: Bool = false) -> Tensor { mean(axes: [axis], keepDim: keepDim) }

    /// Mean of all elements as a scalar.
    public func mean() -> Tensor { mean(axes: Array(0..<rank)) }

    /// Sums the broadcast dimensions away so the result has shape `target` — the gradient of a
    /// broadcast. `target` must broadcast to this tensor's shape.
    ///
    /// ```swift
    /// Tensor.ones([4, 3]).sumToShape([3])      // [4, 4, 4]
    /// ```
    public func sumToShape(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        check(target.count <= rank, "sumToShape: cannot reduce shape \(shape) to \(target)")
        let lead = rank - target.count
        var axes: [Int] = Array(0..<lead)
        for (i, n) in target.enumerated() {
            let axis = lead + i
            check(n == shape[axis] || n == 1, "sumToShape: cannot reduce shape \(shape) to \(target)")
            if n == 1 && shape[axis] != 1 { axes.append(axis) }
        }
        return sum(axes: axes, keepDim: true).reshape(target)
    }
}

extension Tensor {
    /// Variance over `axes`: Σ(x − mean)² / (n − 1) when `unbiased` (PyTorch's default), else
    /// / n.
    ///
    /// ```swift
    /// let v = x.variance(axes: [-1], unbiased: false, keepDim: true)   // [B, T, 1]
    /// ```
    public func variance(axes: [Int], unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        let set = normalizedAxes(axes, op: "variance")
        let n = set.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(axes: axes, keepDim: true)
        let divisor = Float(unbiased ? n - 1 : n)
        return centered.square().sum(axes: axes, keepDim: keepDim) * (1 / divisor)
    }

    /// Variance along one axis.
    public func variance(axis: Int, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        variance(axes: [axis], unbiased: unbiased, keepDim: keepDim)
    }

    /// Variance of all elements, as a scalar.
    public func variance(unbiased: Bool = true) -> Tensor {
        variance(axes: Array(0..<rank), unbiased: unbiased)
    }
}
