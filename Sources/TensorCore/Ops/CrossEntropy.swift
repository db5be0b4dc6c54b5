import CKernels

/// How a loss combines its per-element values.
public enum LossReduction: Sendable, Equatable {
    /// Average over the counted elements (PyTorch's default).
    case mean
    /// Sum over the counted elements.
    case sum
    /// No reduction: one loss per element.
    case none
}

/// Cross-entropy between rows of logits and integer class targets, fused with log-softmax
/// (`torch.nn.functional.cross_entropy` on `logits.view(-1, C)`, `targets.view(-1)`).
///
/// Rows whose target equals `ignoreIndex` contribute no loss and get zero gradient. With
/// `.mean` the sum is divided by the number of counted rows; **if every row is ignored the loss
/// is 0 and the gradient is zero** (PyTorch returns NaN there).
///
/// - Parameters:
///   - logits: `[..., C]`, classes along the last axis.
///   - targets: `logits.shape.dropLast()` (or any shape with as many elements as there are
///     rows), values in `0..<C` or `ignoreIndex`.
///   - ignoreIndex: the target value that marks a row to skip (default -100, as Hugging Face).
///   - reduction: `.mean` (default), `.sum` or `.none` (shape `targets.shape`).
/// - Returns: the loss.
///
/// ```swift
/// let loss = crossEntropy(logits: scores, targets: labels)   // scores [B, T, V], labels [B, T]
/// loss.backward()
/// ```
public func crossEntropy(logits: Tensor, targets: IntTensor, ignoreIndex: Int = -100,
                         reduction: LossReduction = .mean) -> Tensor {
    check(logits.rank >= 1, "crossEntropy: logits need a class axis, got shape \(logits.shape) (targets shape \(targets.shape))")
    let classes = logits.shape[logits.rank - 1]
    let rows = classes == 0 ? 0 : logits.count / classes
    check(targets.count == rows, "crossEntropy: targets shape \(targets.shape) does not match logits shape \(logits.shape) (\(rows) rows)")
    var counted = 0
    for t in targets.values where t != ignoreIndex {
        check(t >= 0 && t < classes, "crossEntropy: target \(t) out of range 0..<\(classes) (logits shape \(logits.shape), ignoreIndex \(ignoreIndex))")
        counted += 1
    }
    let x = logits.detached().contiguous()
    let targets64 = targets.values.map { Int64($0) }
    let perRow = Tensor.empty([rows])
    let lse = Tensor.empty([rows])
    let px = UnsafePointer(x.baseAddress), pl = perRow.baseAddress, ps = lse.baseAddress
    let ignore = Int64(ignoreIndex)
    withExtendedLifetime((x, lse, perRow)) {
        targets64.withUnsafeBufferPointer { pt in
            KernelParallel.forEachRowRange(rows: rows, rowSize: classes) { start, count in
                ck_cross_entropy_forward(px + start * classes, pt.baseAddress! + start, pl + start,
                                         ps + start, Int64(count), Int64(classes), ignore)
            }
        }
    }
    let out: Tensor
    switch reduction {
    case .none:
        out = perRow.reshape(targets.shape)
    case .sum, .mean:
        var total: Double = 0
        withExtendedLifetime(perRow) {
            for i in 0..<rows { total += Double(pl[i]) }
        }
        if reduction == .mean { total = counted > 0 ? total / Double(counted) : 0 }
        out = Tensor(Float(total))
    }
    guard Tensor.needsGradient(logits) else { return out }
    let logitsShape = logits.shape, countedRows = counted
    return Tensor.record(op: "cross_entropy", inputs: [logits], output: out) { g in
        let dx = Tensor.empty(logitsShape)
        let rowGrad: Tensor
        var stride: Int64 = 0
        switch reduction {
        case .none:
            rowGrad = g.contiguous()
            stride = 1
        case .sum:
            rowGrad = g.contiguous()
        case .mean:
            rowGrad = Tensor(countedRows > 0 ? g.item / Float(countedRows) : 0)
        }
        let px = UnsafePointer(x.baseAddress), ps = UnsafePointer(lse.baseAddress)
        let pg = UnsafePointer(rowGrad.baseAddress), pd = dx.baseAddress
        withExtendedLifetime((x, lse, rowGrad)) {
            targets64.withUnsafeBufferPointer { pt in
                KernelParallel.forEachRowRange(rows: rows, rowSize: classes) { start, count in
                    ck_cross_entropy_backward(px + start * classes, pt.baseAddress! + start, ps + start,
                                              pg + Int(stride) * start, stride, pd + start * classes,
                                              Int64(count), Int64(classes), ignore)
                }
            }
        }
        return [dx]
    }
}
