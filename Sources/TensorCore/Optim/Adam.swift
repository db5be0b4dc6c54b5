/// Adam (`torch.optim.Adam`) with bias correction and optional coupled L2 weight decay
/// (`g ← g + weightDecay·p`, which then flows through the moments).
///
/// Defaults as PyTorch: β = (0.9, 0.999), ε = 1e-8, weight decay 0 (set per group), no AMSGrad.
/// For decoupled decay use ``AdamW``. State per parameter: `exp_avg`, `exp_avg_sq`.
///
/// ```swift
/// let adam = Adam(parameters: model.parameters(), learningRate: 1e-3)
/// ```
public final class Adam: AdamFamilyOptimizer {
    public let kind = "Adam"
    public var parameterGroups: [ParameterGroup]
    public var stepCount = 0
    public let state = OptimizerStateStore()
    /// Decay rates of the first and second moment estimates.
    public let betas: (Double, Double)
    /// Added to the bias-corrected root of the second moment.
    public let epsilon: Double

    /// Coupled L2 (Adam) weight decay.
    public var decouplesWeightDecay: Bool { false }

    /// - Parameters:
    ///   - groups: parameter groups (learning rate and L2 weight decay each).
    ///   - betas: moment decay rates (default (0.9, 0.999)).
    ///   - epsilon: numerical stabiliser (default 1e-8).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8) {
        AdamUpdate.checkArguments("Adam", betas: betas, epsilon: epsilon)
        ParameterGroup.validate(groups, optimizer: "Adam")
        parameterGroups = groups
        self.betas = betas
        self.epsilon = epsilon
    }

    /// One group with `learningRate` (default 1e-3) and L2 `weightDecay` (default 0).
    public convenience init(parameters: [Parameter], learningRate: Double = 1e-3,
                            betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
                            weightDecay: Double = 0) {
        self.init([ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  betas: betas, epsilon: epsilon)
    }
}
