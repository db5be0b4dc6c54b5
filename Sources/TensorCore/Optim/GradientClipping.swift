import CKernels
import Foundation

/// Rescales the gradients of `parameters` so that their global norm is at most `maxNorm`, and
/// returns the global norm before clipping — `torch.nn.utils.clip_grad_norm_`:
///
///     total = ‖(‖g₁‖, ‖g₂‖, …)‖          (p-norm of the per-tensor p-norms)
///     coef  = min(maxNorm / (total + 1e-6), 1)
///     gᵢ   ← gᵢ · coef                   (always applied, as in PyTorch)
///
/// Parameters whose `grad` is nil are ignored. Per-tensor norms accumulate in Double and are
/// rounded to Float like PyTorch's float32 norms; the coefficient is computed in Float.
/// A non-finite total (NaN/inf gradients) propagates into the gradients exactly as in PyTorch
/// (check the returned norm to skip such steps).
///
/// ```swift
/// loss.backward()
/// let norm = clipGradNorm(model.namedParameters().map(\.1), maxNorm: 1.0)
/// optimizer.step()
/// ```
///
/// - Parameters:
///   - parameters: the parameters whose gradients are clipped in place.
///   - maxNorm: the largest allowed global norm.
///   - normType: 2 (default) for the Euclidean norm, `.infinity` for the max-abs norm, or any
///     p ≥ 1.
/// - Returns: the global norm of the gradients before clipping (0 when no parameter has one).
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Double, normType: Double = 2) -> Float {
    let (total, coefficient) = gradientClipCoefficient(parameters, maxNorm: maxNorm, normType: normType)
    scaleGradients(parameters, by: coefficient)
    return total
}

/// Multiplies every gradient of `parameters` by `coefficient` in place (parameters without a
/// gradient are skipped): the second half of ``clipGradNorm(_:maxNorm:normType:)``, for a caller
/// that already has the coefficient from ``gradientClipCoefficient(_:maxNorm:normType:)``.
///
/// ```swift
/// let clip = gradientClipCoefficient(parameters, maxNorm: 1.0)
/// scaleGradients(parameters, by: clip.coefficient)    // = clipGradNorm(parameters, maxNorm: 1.0)
/// ```
public func scaleGradients(_ parameters: [Parameter], by coefficient: Float) {
    for parameter in parameters where parameter.grad != nil {
        parameter.grad!.withUnsafeMutableBufferPointer { gradient in
            guard let base = gradient.baseAddress else { return }
            OptimizerChunks.forEach(gradient.count) { r in
                tc_scale_in_place(base + r.lowerBound, Int64(r.count), coefficient)
            }
        }
    }
}

/// The global gradient norm and the clipping coefficient of ``clipGradNorm(_:maxNorm:normType:)``
/// without touching the gradients, for optimizers that apply the coefficient while they read
/// the gradients (``AdamW/step(gradientScale:)``, ``Adam/step(gradientScale:)``): one pass
/// over the gradients fewer, same result.
///
/// ```swift
/// loss.backward()
/// let clip = gradientClipCoefficient(model.namedParameters().map(\.1), maxNorm: 1.0)
/// optimizer.step(gradientScale: clip.coefficient)
/// ```
/// - Returns: the global norm before clipping and `min(maxNorm / (norm + 1e-6), 1)` (0 and 1
///   when no parameter has a gradient).
public func gradientClipCoefficient(_ parameters: [Parameter], maxNorm: Double, normType: Double = 2)
    -> (norm: Float, coefficient: Float)
{
    check(normType >= 1, "clipGradNorm: normType must be ≥ 1 or infinity, got \(normType)")
    let withGradient = parameters.filter { $0.grad != nil }
    guard !withGradient.isEmpty else { return (0, 1) }
    let norms = withGradient.map { parameter in
        parameter.grad!.withUnsafeBufferPointer { GradientNorm.norm($0, normType: normType) }
    }
    let total = GradientNorm.norm(norms, normType: normType)
    return (total, min(Float(maxNorm) / (total + Float(1e-6)), 1))
}

/// Vector norms as `torch.linalg.vector_norm` computes them for float32 (accumulated wider).
enum GradientNorm {
    /// The `normType`-norm of a contiguous buffer (2 and ∞ vectorised and chunked).
    static func norm(_ values: UnsafeBufferPointer<Float>, normType: Double) -> Float {
        guard let base = values.baseAddress, !values.isEmpty else { return 0 }
        if normType == .infinity {
            var maxima = [Float](repeating: 0, count: (values.count + OptimizerChunks.size - 1) / OptimizerChunks.size)
            maxima.withUnsafeMutableBufferPointer { out in
                let output = UncheckedSendable(value: out.baseAddress!)
                OptimizerChunks.forEach(values.count) { r in
                    output.value[r.lowerBound / OptimizerChunks.size] = tc_max_abs(base + r.lowerBound, Int64(r.count))
                }
            }
            return norm(maxima, normType: normType)
        }
        if normType == 2 {
            let sum = OptimizerChunks.sum(values.count) { r in tc_sum_of_squares(base + r.lowerBound, Int64(r.count)) }
            return Float(sum.squareRoot())
        }
        return norm(Array(values), normType: normType)
    }

    /// The `normType`-norm of a few values (the per-tensor norms).
    static func norm(_ values: [Float], normType: Double) -> Float {
        if normType == .infinity {
            return values.reduce(Float(0)) { ($0.isNaN || $1.isNaN) ? .nan : max($0, abs($1)) }
        }
        if normType == 2 {
            let sum = values.reduce(0.0) { $0 + Double($1) * Double($1) }
            return Float(sum.squareRoot())
        }
        let sum = values.reduce(0.0) { $0 + pow(Double(abs($1)), normType) }
        return Float(pow(sum, 1 / normType))
    }
}
