import CKernels
import Foundation

/// Adam (`torch.optim.Adam`) with bias correction — and, with `decoupledWeightDecay`, AdamW
/// (`torch.optim.AdamW`, see ``AdamW``). One implementation: the flag decides how weight decay
/// enters, coupled L2 (`g ← g + weightDecay·p`, which then flows through the moments) or
/// decoupled (`p ← p·(1 − lr·weightDecay)` before the update).
///
/// Defaults as PyTorch: β = (0.9, 0.999), ε = 1e-8 (inside the bias-corrected denominator),
/// weight decay 0 for Adam (set per group), no AMSGrad. State per parameter: `exp_avg`,
/// `exp_avg_sq`.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters(), learningRate: 1e-3)
/// ```
public class Adam: MomentOptimizer, Optimizer {
    /// True for decoupled decay `p ← p·(1 − lr·wd)` (AdamW), false for L2 decay added to the
    /// gradient (Adam).
    public let decouplesWeightDecay: Bool

    /// - Parameters:
    ///   - groups: parameter groups (learning rate and weight decay each).
    ///   - betas: moment decay rates (default (0.9, 0.999)).
    ///   - epsilon: numerical stabiliser (default 1e-8).
    ///   - decoupledWeightDecay: AdamW's decay instead of Adam's L2 (default false).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                decoupledWeightDecay: Bool = false) {
        decouplesWeightDecay = decoupledWeightDecay
        // Kind "Adam", or "AdamW" with decoupled weight decay (written into saved state).
        super.init(kind: decoupledWeightDecay ? "AdamW" : "Adam", groups: groups, betas: betas, epsilon: epsilon)
    }

    /// One group with `learningRate` (default 1e-3) and L2 `weightDecay` (default 0).
    public convenience init(parameters: [Parameter], learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                            weightDecay: Double = 0) {
        self.init([ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  betas: betas, epsilon: epsilon)
    }

    public func step() { step(gradientScale: 1) }  // × 1 is exact: the same update bit for bit

    /// ``Optimizer/step()`` with every gradient multiplied by `gradientScale` on the fly (the
    /// stored gradients are not changed): with ``gradientClipCoefficient(_:maxNorm:normType:)``
    /// this is `clipGradNorm` + `step()` in one pass over the gradients, with the same result.
    ///
    /// ```swift
    /// let clip = gradientClipCoefficient(parameters, maxNorm: 1.0)
    /// optimizer.step(gradientScale: clip.coefficient)
    /// ```
    public func step(gradientScale: Float) {
        stepCount += 1
        AdamUpdate.step(self, betas: betas, epsilon: epsilon, decoupled: decouplesWeightDecay,
                        gradientScale: gradientScale)
    }
}

/// The shared Adam/AdamW update, operation for operation as `torch.optim.adam._single_tensor_adam`
/// on CPU in float32 (scalars computed in Double like Python floats, then rounded to Float):
///
///     p ← p·(1 − lr·wd)                    (AdamW, decoupled)
///     g ← g + wd·p                         (Adam, coupled L2)
///     m ← lerp(m, g, 1 − β1)
///     v ← v·β2 + (1 − β2)·g·g
///     p ← p − (lr / (1 − β1ᵗ))·m / (√v / √(1 − β2ᵗ) + ε)
enum AdamUpdate {
    static func step(_ optimizer: some Optimizer, betas: (Double, Double), epsilon: Double, decoupled: Bool,
                     gradientScale: Float) {
        let weight = Float(1 - betas.0)
        let beta2 = Float(betas.1)
        let oneMinusBeta2 = Float(1 - betas.1)
        let eps = Float(epsilon)
        optimizer.forEachUpdate { group, state, p, g, n in
            let t = Double(state.step)
            let lr = group.learningRate
            let stepSize = lr / (1 - pow(betas.0, t))
            let correction2Root = Float((1 - pow(betas.1, t)).squareRoot())
            let negativeStep = Float(-stepSize)
            let m = state.buffer("exp_avg", count: n).pointer
            let v = state.buffer("exp_avg_sq", count: n).pointer
            let decay = Float(group.weightDecay)
            let shrink = Float(1 - lr * group.weightDecay)
            let hasDecay = group.weightDecay != 0
            let decoupledFlag: Int32 = decoupled && hasDecay ? 1 : 0
            let coupledFlag: Int32 = !decoupled && hasDecay ? 1 : 0
            OptimizerChunks.forEach(n) { r in
                let i = r.lowerBound
                tc_adam_update(p + i, g + i, m + i, v + i, Int64(r.count), decoupledFlag, shrink, coupledFlag, decay,
                               weight, beta2, oneMinusBeta2, correction2Root, eps, negativeStep, gradientScale)
            }
        }
    }
}
