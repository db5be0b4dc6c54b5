import Foundation

/// Mean squared error, as `torch.nn.functional.mse_loss`: (input - target)² reduced.
///
/// - Parameters:
///   - input: predictions.
///   - target: same shape as `input`.
///   - reduction: `.mean` (default), `.sum`, or `.none` (elementwise, shape of `input`).
///
/// ```swift
/// let loss = mseLoss(predictions, labels)   // regression head
/// ```
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    check(input.shape == target.shape, "mseLoss: input shape \(input.shape) differs from target shape \(target.shape)")
    let diff = input - target
    let squared = diff * diff
    switch reduction {
    case .none: return squared
    case .sum: return squared.sum()
    case .mean: return squared.mean()
    }
}

/// Binary cross-entropy on logits, as `torch.nn.functional.binary_cross_entropy_with_logits`:
/// max(x, 0) - x·y + log(1 + exp(-|x|)), which never overflows (logits of ±100 are fine).
///
/// - Parameters:
///   - logits: raw scores x.
///   - targets: probabilities y in [0, 1], same shape as `logits`.
///   - reduction: `.mean` (default), `.sum` or `.none`.
/// - Returns: the loss; gradients flow to both `logits` ((sigmoid(x) - y)) and `targets` (-x).
///
/// ```swift
/// let loss = binaryCrossEntropyWithLogits(scores, labels)   // multi-label head
/// ```
public func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor,
                                         reduction: LossReduction = .mean) -> Tensor {
    check(logits.shape == targets.shape, "binaryCrossEntropyWithLogits: logits shape \(logits.shape) differs from targets shape \(targets.shape)")
    let x = logits.detached().contiguous(), y = targets.detached().contiguous()
    let n = x.count
    let px = UnsafePointer(x.baseAddress), py = UnsafePointer(y.baseAddress)
    let elementwise = Tensor.empty(logits.shape)
    let pe = elementwise.baseAddress
    var total: Double = 0
    withExtendedLifetime((x, y, elementwise)) {
        for i in 0..<n {
            let v = px[i]
            let loss = max(v, 0) - v * py[i] + Foundation.log1p(Foundation.exp(-abs(v)))
            pe[i] = loss
            total += Double(loss)
        }
    }
    let out: Tensor
    switch reduction {
    case .none: out = elementwise
    case .sum: out = Tensor(Float(total))
    case .mean: out = Tensor(n > 0 ? Float(total / Double(n)) : 0)
    }
    guard GradMode.isEnabled, logits.requiresGrad || targets.requiresGrad else { return out }
    let shape = logits.shape
    return Tensor.record(op: "bce_with_logits", inputs: [logits, targets], output: out) { g in
        let gc = g.contiguous()
        let dx = Tensor.empty(shape), dy = Tensor.empty(shape)
        let px = UnsafePointer(x.baseAddress), py = UnsafePointer(y.baseAddress)
        let pg = UnsafePointer(gc.baseAddress), pdx = dx.baseAddress, pdy = dy.baseAddress
        let scale: Float = reduction == .mean ? (n > 0 ? 1 / Float(n) : 0) : 1
        let perElement = reduction == .none
        withExtendedLifetime((x, y, gc)) {
            for i in 0..<n {
                let v = px[i]
                let s = 1 / (1 + Foundation.exp(-v))
                let upstream = (perElement ? pg[i] : pg[0]) * scale
                pdx[i] = upstream * (s - py[i])
                pdy[i] = -upstream * v
            }
        }
        return [dx, dy]
    }
}
