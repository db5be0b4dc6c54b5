import CKernels

/// The optimizer the original BERT was trained with: `AdamWeightDecayOptimizer` from
/// google-research/bert `optimization.py`. It differs from ``AdamW`` in three ways that
/// matter for parity: **no bias correction**, ε = 1e-6 added **outside** the square root of the
/// raw second moment, and the decay added to the update (then scaled by the learning rate):
///
///     m ← β1·m + (1 − β1)·g
///     v ← β2·v + (1 − β2)·g²
///     u ← m / (√v + ε)  (+ weightDecay·p for decayed parameters)
///     p ← p − lr·u
///
/// Google decays every parameter except names containing "LayerNorm", "layer_norm" or
/// "bias"; here that is expressed with groups — use ``ParameterGroup/excludingWeightDecay(_:learningRate:weightDecay:patterns:)``
/// with weight decay 0.01. Pair it with ``LearningRateSchedule/bertOriginal(warmupSteps:totalSteps:)``
/// and `clipGradNorm(maxNorm: 1)` to reproduce `create_optimizer`. Defaults: β = (0.9, 0.999),
/// ε = 1e-6. State per parameter: `exp_avg`, `exp_avg_sq` (Google's `adam_m`, `adam_v`).
///
/// ```swift
/// let optimizer = AdamWeightDecay(ParameterGroup.excludingWeightDecay(model.namedParameters(),
///                                                                     learningRate: 1e-4, weightDecay: 0.01))
/// ```
public final class AdamWeightDecay: MomentOptimizer, Optimizer {
    /// - Parameters:
    ///   - groups: parameter groups (learning rate and weight decay rate each).
    ///   - betas: moment decay rates (default (0.9, 0.999)).
    ///   - epsilon: added to √v (default 1e-6).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-6) {
        super.init(kind: "AdamWeightDecay", groups: groups, betas: betas, epsilon: epsilon)  // ε added to √v
    }

    public func step() {
        stepCount += 1
        let beta1 = Float(betas.0), keep1 = Float(1 - betas.0)
        let beta2 = Float(betas.1), keep2 = Float(1 - betas.1)
        let eps = Float(epsilon)
        forEachUpdate { group, state, p, g, n in
            let lr = Float(group.learningRate)
            let decay = Float(group.weightDecay)
            let decays: Int32 = group.weightDecay != 0 ? 1 : 0
            let m = state.buffer("exp_avg", count: n).pointer
            let v = state.buffer("exp_avg_sq", count: n).pointer
            OptimizerChunks.forEach(n) { r in
                let i = r.lowerBound
                tc_adam_weight_decay_update(p + i, g + i, m + i, v + i, Int64(r.count), beta1, keep1, beta2, keep2,
                                            eps, lr, decays, decay)
            }
        }
    }
}
