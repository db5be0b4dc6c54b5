/// AdamW (`torch.optim.AdamW`): ``Adam`` with decoupled weight decay
/// `p ← p·(1 − lr·weightDecay)` applied before the Adam update — the same implementation with
/// `decoupledWeightDecay: true` and PyTorch's AdamW default weight decay 0.01.
///
/// Defaults as PyTorch: lr 1e-3, β = (0.9, 0.999), ε = 1e-8, weight decay 0.01.
///
/// ```swift
/// let optimizer = AdamW(ParameterGroup.excludingWeightDecay(model.namedParameters(),
///                                                           learningRate: 5e-5, weightDecay: 0.01))
/// ```
public final class AdamW: Adam {
    /// - Parameters:
    ///   - groups: parameter groups (learning rate and decoupled weight decay each).
    ///   - betas: moment decay rates (default (0.9, 0.999)).
    ///   - epsilon: numerical stabiliser (default 1e-8).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8) {
        super.init(groups, betas: betas, epsilon: epsilon, decoupledWeightDecay: true)
    }

    /// One group with `learningRate` (default 1e-3) and `weightDecay` (default 0.01).
    public convenience init(parameters: [Parameter], learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                            weightDecay: Double = 0.01) {
        self.init([ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  betas: betas, epsilon: epsilon)
    }
}
