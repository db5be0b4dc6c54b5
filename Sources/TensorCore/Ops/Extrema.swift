import CKernels

// max / min over axes (differentiable; the gradient is split evenly between tied maxima, as
// torch.amax does) and argmax.
extension Tensor {
    private func extremum(_ code: Int, _ name: String, axes: [Int], keepDim: Bool) -> Tensor {
        let set = normalizedAxes(axes, op: name)
        check(set.allSatisfy { shape[$0] > 0 }, "\(name): cannot reduce an empty axis of shape \(shape)")
        if set.isEmpty { return self }
        let kept = ElementwiseKernel.reduce(code, self, axes: set)    // keep-dim shape
        let out = keepDim ? kept : kept.reshape(reducedShape(set, keepDim: false))
        guard Tensor.needsGradient(self) else { return out }
        let x = detached(), keptShape = kept.shape, axesList = Array(set)
        return Tensor.record(op: name, inputs: [self], output: out) { g in
            let isExtremum = ElementwiseKernel.binary(TC_EQUAL, x, kept, name: "\(name) backward")  // 1 where x == extremum
            let ties = isExtremum.sum(axes: axesList, keepDim: true)
            return [(g.reshape(keptShape) / ties) * isExtremum]
        }
    }

    /// Largest element over `axes` (NaN propagates).
    ///
    /// ```swift
    /// let rowMax = scores.max(axes: [-1], keepDim: true)     // [B, H, T, 1]
    /// ```
    public func max(axes: [Int], keepDim: Bool = false) -> Tensor {
        extremum(TC_MAX, "max", axes: axes, keepDim: keepDim)
    }

    /// Largest element along one axis.
    public func max(axis: Int, keepDim: Bool = false) -> Tensor { max(axes: [axis], keepDim: keepDim) }

    /// Largest element overall, as a scalar.
    public func max() -> Tensor { max(axes: Array(0..<rank)) }

    /// Smallest element over `axes` (NaN propagates).
    public func min(axes: [Int], keepDim: Bool = false) -> Tensor {
        extremum(TC_MIN, "min", axes: axes, keepDim: keepDim)
    }

    /// Smallest element along one axis.
    public func min(axis: Int, keepDim: Bool = false) -> Tensor { min(axes: [axis], keepDim: keepDim) }

    /// Smallest element overall, as a scalar.
    public func min() -> Tensor { min(axes: Array(0..<rank)) }

    /// Index of the largest element along `axis` (the first one on ties; NaN counts as
    /// largest). The axis is removed unless `keepDim`.
    ///
    /// ```swift
    /// let predictions = logits.argmax(axis: -1)     // IntTensor [B]
    /// ```
    public func argmax(axis: Int, keepDim: Bool = false) -> IntTensor {
        let ax = normalizedAxis(axis, op: "argmax")
        let n = shape[ax]
        check(n > 0, "argmax: axis \(axis) of shape \(shape) is empty")
        var outShape = shape
        outShape[ax] = 1
        let outCount = outShape.reduce(1, *)
        var values = [Int](repeating: 0, count: outCount)
        let base = baseAddress, step = strides[ax]
        let outerShape = outShape
        var index = [Int](repeating: 0, count: rank)
        for o in 0..<outCount {
            var position = 0
            for d in 0..<rank { position += index[d] * strides[d] }
            var best = base[position], bestIndex = 0
            if !best.isNaN {
                for i in 1..<n {
                    let v = base[position + i * step]
                    if v.isNaN { bestIndex = i; break }
                    if v > best { best = v; bestIndex = i }
                }
            }
            values[o] = bestIndex
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < outerShape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return IntTensor(values, shape: keepDim ? outShape : reducedShape([ax], keepDim: false))
    }
}
