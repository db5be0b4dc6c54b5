/// AdamW (`torch.optim.AdamW`): Adam with bias correction and decoupled weight decay
/// `p ← p·(1 − lr·weightDecay)` applied before the Adam update.
///
/// Defaults as PyTorch: lr 1e-3, β = (0.9, 0.999), ε = 1e-8 (inside the bias-corrected
/// denominator), weight decay 0.01. State per parameter: `exp_avg`, `exp_avg_sq`.
/// The update itself is shared with ``Adam`` (see `AdamUpdate`).
///
/// ```swift
/// let optimizer = AdamW(ParameterGroup.excludingWeightDecay(model.namedParameters(),
///                                                           learningRate: 5e-5, weightDecay: 0.01))
/// ```
public final class AdamW: AdamFamilyOptimizer {
    public let kind = "AdamW"
    public var parameterGroups: [ParameterGroup]
    public var stepCount = 0
    public let state = OptimizerStateStore()
    /// Decay rates of the first and second moment estimates.
    public let betas: (Double, Double)
    /// Added to the bias-corrected root of the second moment.
    public let epsilon: Double

    /// Decoupled (AdamW) weight decay.
    public var decouplesWeightDecay: Bool { true }

    /// - Parameters:
    ///   - groups: parameter groups (learning rate and decoupled weight decay each).
    ///   - betas: moment decay rates (default (0.9, 0.999)).
    ///   - epsilon: numerical stabiliser (default 1e-8).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8) {
        AdamUpdate.checkArguments("AdamW", betas: betas, epsilon: epsilon)
        ParameterGroup.validate(groups, optimizer: "AdamW")
        parameterGroups = groups
        self.betas = betas
        self.epsilon = epsilon
    }

    /// One group with `learningRate` (default 1e-3) and `weightDecay` (default 0.01).
    public convenience init(parameters: [Parameter], learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                            weightDecay: Double = 0.01) {
        self.init([ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  betas: betas, epsilon: epsilon)
    }
}
