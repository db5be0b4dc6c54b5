import CKernels

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight
/// decay, exactly as `torch.optim.SGD` (single-tensor path, float32):
///
///     d = g + weightDecay·p
///     buf = d                                   (first update of the parameter)
///     buf = momentum·buf + (1 − dampening)·d    (later updates)
///     d = nesterov ? d + momentum·buf : buf     (when momentum ≠ 0)
///     p = p − lr·d
///
/// Defaults as PyTorch: momentum 0, dampening 0, no Nesterov, weight decay 0 (set per group).
/// State per parameter: `momentum_buffer` (only when momentum ≠ 0).
///
/// ```swift
/// let sgd = SGD([ParameterGroup(model.namedParameters(), learningRate: 0.1, weightDecay: 1e-4)],
///               momentum: 0.9, nesterov: true)
/// ```
public final class SGD: Optimizer {
    public let kind = "SGD"
    public var parameterGroups: [ParameterGroup]
    public var stepCount = 0
    public let state = OptimizerStateStore()
    /// Momentum factor.
    public let momentum: Double
    /// Dampening of the momentum update.
    public let dampening: Double
    /// Nesterov momentum (needs momentum > 0 and dampening 0, as in PyTorch).
    public let nesterov: Bool

    public var hyperparameters: [String: Double] {
        ["momentum": momentum, "dampening": dampening, "nesterov": nesterov ? 1 : 0]
    }

    /// - Parameters:
    ///   - groups: parameter groups (learning rate and L2 weight decay each).
    ///   - momentum: momentum factor (default 0).
    ///   - dampening: dampening for momentum (default 0).
    ///   - nesterov: enables Nesterov momentum (default false).
    public init(_ groups: [ParameterGroup], momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false) {
        check(momentum >= 0, "SGD: invalid momentum \(momentum)")
        check(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: Nesterov momentum requires a momentum and zero dampening")
        ParameterGroup.validate(groups, optimizer: "SGD")
        parameterGroups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    /// One group of parameters with `learningRate` and `weightDecay`.
    public convenience init(parameters: [Parameter], learningRate: Double, momentum: Double = 0,
                            dampening: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        self.init([ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  momentum: momentum, dampening: dampening, nesterov: nesterov)
    }

    public func step() {
        stepCount += 1
        let momentum = Float(momentum)
        let keep = Float(1 - dampening)
        let useMomentum = self.momentum != 0
        let nesterov: Int32 = self.nesterov ? 1 : 0
        forEachUpdate { group, state, p, g, n in
            let negativeLR = Float(-group.learningRate)
            let decay = Float(group.weightDecay)
            let hasDecay: Int32 = group.weightDecay != 0 ? 1 : 0
            var mode: Int32 = 0
            var buffer: UnsafeMutablePointer<Float>?
            if useMomentum {
                mode = state.buffers["momentum_buffer"] == nil ? 1 : 2
                buffer = state.buffer("momentum_buffer", count: n).pointer
            }
            OptimizerChunks.forEach(n) { r in
                tc_sgd_update(p + r.lowerBound, g + r.lowerBound, buffer.map { $0 + r.lowerBound }, Int64(r.count),
                              negativeLR, hasDecay, decay, mode, momentum, keep, nesterov)
            }
        }
    }
}
