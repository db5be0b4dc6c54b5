/// What every Adam-style optimizer keeps: its groups, step count, per-parameter moments and
/// the moment hyperparameters β and ε. ``Adam``/``AdamW``, ``AdamWeightDecay`` and ``LAMB``
/// differ only in their update; their shared state and saved hyperparameters live here once.
public class MomentOptimizer {
    /// The name written into saved state.
    public let kind: String
    public var parameterGroups: [ParameterGroup]
    public var stepCount = 0
    public let state = OptimizerStateStore()
    /// Decay rates of the first and second moment estimates.
    public let betas: (Double, Double)
    /// The numerical stabiliser (where it enters is the subclass's update).
    public let epsilon: Double

    /// Saved with the state; loading checks them.
    public var hyperparameters: [String: Double] { ["beta1": betas.0, "beta2": betas.1, "eps": epsilon] }

    init(kind: String, groups: [ParameterGroup], betas: (Double, Double), epsilon: Double) {
        check((0..<1).contains(betas.0) && (0..<1).contains(betas.1), "\(kind): betas must be in [0, 1), got \(betas)")
        check(epsilon >= 0, "\(kind): epsilon must be ≥ 0, got \(epsilon)")
        ParameterGroup.validate(groups, optimizer: kind)
        self.kind = kind
        parameterGroups = groups
        self.betas = betas
        self.epsilon = epsilon
    }
}
