import CKernels
import Foundation

/// LAMB (You et al. 2019) as NVIDIA implements it for BERT pretraining: apex `FusedLAMB`
/// (`csrc/multi_tensor_lamb.cu`) with `adam_w_mode`, gradient averaging, bias correction and
/// `use_nvlamb = false`. Per parameter, in float32:
///
///     m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g·g
///     u ← (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε) + weightDecay·p
///     r ← ‖p‖ / ‖u‖   for parameters with weight decay ≠ 0 when both norms are non-zero, else 1
///     p ← p − lr·r·u
///
/// `‖p‖` is taken before the update. Like apex, the scalars are C floats: `1 − β` is computed
/// in Float and the bias corrections as `1 − pow(Double(Float(β)), t)`.
/// Not included: apex's internal global-norm gradient clipping (`max_grad_norm`); call
/// `clipGradNorm` before `step()` instead (note torch's formula `max/(norm + 1e-6)` differs
/// slightly from apex's `norm/max` division). NVIDIA pairs LAMB with a polynomial decay of
/// power 0.5 (``LearningRateSchedule/polynomial(warmupSteps:totalSteps:initialLR:endLR:power:)``).
/// Defaults (apex): β = (0.9, 0.999), ε = 1e-6. State per parameter: `exp_avg`, `exp_avg_sq`.
///
/// ```swift
/// let lamb = LAMB(ParameterGroup.excludingWeightDecay(model.namedParameters(),
///                                                     learningRate: 6e-3, weightDecay: 0.01))
/// ```
public final class LAMB: MomentOptimizer, Optimizer {
    /// - Parameters:
    ///   - groups: parameter groups; groups with weight decay ≠ 0 get the trust ratio.
    ///   - betas: moment decay rates (default (0.9, 0.999)).
    ///   - epsilon: numerical stabiliser (default 1e-6).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-6) {
        super.init(kind: "LAMB", groups: groups, betas: betas, epsilon: epsilon)  // ε added to the bias-corrected √v
    }

    public func step() {
        stepCount += 1
        let beta1 = Float(betas.0), beta2 = Float(betas.1)
        let keep1 = 1 - beta1, keep2 = 1 - beta2
        let eps = Float(epsilon)
        forEachUpdate { group, state, p, g, n in
            let t = Double(state.step)
            let correction1 = Float(1 - pow(Double(beta1), t))
            let correction2 = Float(1 - pow(Double(beta2), t))
            let lr = Float(group.learningRate)
            let decay = Float(group.weightDecay)
            let decays = group.weightDecay != 0
            let decaysFlag: Int32 = decays ? 1 : 0
            let m = state.buffer("exp_avg", count: n).pointer
            let v = state.buffer("exp_avg_sq", count: n).pointer
            // Norms accumulate in Double (per-chunk partials in chunk order), rounded to Float.
            let parameterNorm = Float(OptimizerChunks.sum(n) { r in
                tc_sum_of_squares(p + r.lowerBound, Int64(r.count))
            }.squareRoot())
            // Stage 1 updates the moments and measures ‖u‖; stage 2 recomputes u (same float
            // operations, so bit-identical) and applies it, so no scratch copy of u is needed.
            let updateNorm = Float(OptimizerChunks.sum(n) { r in
                let i = r.lowerBound
                return tc_lamb_stage1(p + i, g + i, m + i, v + i, Int64(r.count), beta1, keep1, beta2, keep2,
                                      correction1, correction2, eps, decaysFlag, decay)
            }.squareRoot())
            var ratio = lr
            if decays && updateNorm != 0 && parameterNorm != 0 { ratio = lr * (parameterNorm / updateNorm) }
            OptimizerChunks.forEach(n) { r in
                let i = r.lowerBound
                tc_lamb_stage2(p + i, m + i, v + i, Int64(r.count), correction1, correction2, eps, decaysFlag, decay,
                               ratio)
            }
        }
    }
}
