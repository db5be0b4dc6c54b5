import CKernels

// Softmax and log-softmax: one fused row kernel per direction over the last axis (max-
// subtracted, so large logits and additive masks such as -3.4e38 stay finite). Other axes are
// moved last with a permuted copy and the result is returned as a view in the caller's order.
extension Tensor {
    /// Softmax along `axis`: exp(x - max) / sum(exp(x - max)).
    ///
    /// A row whose entries are all `-inf` gives zeros (not NaN); rows masked by adding a large
    /// negative number (e.g. `-Float.greatestFiniteMagnitude`) give a uniform distribution over
    /// the masked entries, as in PyTorch.
    ///
    /// - Parameter axis: the axis to normalise (negative counts from the end; default last).
    /// - Returns: probabilities of the same shape.
    ///
    /// ```swift
    /// let probabilities = scores.softmax(axis: -1)   // [B, heads, T, T]
    /// ```
    public func softmax(axis: Int = -1) -> Tensor {
        rowOp(axis: axis, op: "softmax", forward: ck_softmax_forward, backward: ck_softmax_backward)
    }

    /// Log-softmax along `axis`: x - max - log(sum(exp(x - max))), computed without forming the
    /// softmax (stable for large logits).
    ///
    /// ```swift
    /// let logProbabilities = logits.logSoftmax(axis: -1)   // [N, C]
    /// ```
    public func logSoftmax(axis: Int = -1) -> Tensor {
        rowOp(axis: axis, op: "log_softmax", forward: ck_log_softmax_forward,
              backward: ck_log_softmax_backward)
    }

    /// Runs a last-axis row kernel along `axis`; the backward takes the saved output.
    private func rowOp(
        axis: Int, op: String,
        forward: @escaping (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64, Int64) -> Void,
        backward: @escaping (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64, Int64) -> Void
    ) -> Tensor {
        check(rank > 0, "\(op): needs at least one dimension, got shape \(shape)")
        let a = normalizedAxis(axis, op: op)
        // Order that puts `a` last, and its inverse.
        let order = Array(0..<rank).filter { $0 != a } + [a]
        let isLast = a == rank - 1
        let inverse = order.indices.map { order.firstIndex(of: $0)! }

        let source = isLast ? detached().contiguous() : detached().permute(order).contiguous()
        let n = shape[a]
        let rows = n == 0 ? 0 : count / n
        let y = Tensor.empty(source.shape)
        let px = UnsafePointer(source.baseAddress), py = y.baseAddress
        withExtendedLifetime(source) {
            KernelParallel.forEachRowRange(rows: rows, rowSize: n) { start, len in
                forward(px + start * n, py + start * n, Int64(len), Int64(n))
            }
        }
        let out = isLast ? y : y.permute(inverse)
        guard Tensor.needsGradient(self) else { return out }
        let backwardFunction = UncheckedSendable(value: backward)
        return Tensor.record(op: op, inputs: [self], output: out) { g in
            let gc = isLast ? g.contiguous() : g.permute(order).contiguous()
            let dx = Tensor.empty(y.shape)
            let py = UnsafePointer(y.baseAddress), pg = UnsafePointer(gc.baseAddress)
            let pd = dx.baseAddress
            withExtendedLifetime((y, gc)) {
                KernelParallel.forEachRowRange(rows: rows, rowSize: n) { start, len in
                    backwardFunction.value(py + start * n, pg + start * n, pd + start * n, Int64(len), Int64(n))
                }
            }
            return [isLast ? dx : dx.permute(inverse)]
        }
    }
}
