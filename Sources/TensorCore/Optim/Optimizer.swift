/// A first-order optimizer over ``Parameter``s, with PyTorch's semantics: gradients
/// accumulate in `Parameter.grad` until ``zeroGrad()``; ``step()`` updates every parameter
/// of every group in place, skipping parameters whose `grad` is nil (they keep their state and
/// their per-parameter step count, as in `torch.optim`).
///
/// The learning rate can change every step: set `parameterGroups[i].learningRate`, set
/// ``learningRate`` for all groups, or apply a ``LearningRateSchedule``.
///
/// ```swift
/// let optimizer = AdamW(ParameterGroup.excludingWeightDecay(model.namedParameters(),
///                                                           learningRate: 5e-5, weightDecay: 0.01))
/// let schedule = LearningRateSchedule.linear(warmupSteps: 100, totalSteps: 1000)
/// for batch in batches {
///     optimizer.applySchedule(schedule, step: optimizer.stepCount)
///     let loss = model.loss(batch)
///     loss.backward()
///     clipGradNorm(model.namedParameters().map(\.1), maxNorm: 1.0)
///     optimizer.step()
///     optimizer.zeroGrad()
/// }
/// try optimizer.saveState(to: "optimizer.safetensors")
/// ```
///
/// Updating a parameter in place changes every tensor that shares its storage (as in
/// PyTorch); call `step()` after `backward()`, not between forward and backward.
public protocol Optimizer: AnyObject {
    /// The name written into saved state (e.g. "AdamW"); loading checks it.
    var kind: String { get }
    /// Groups of parameters with their own learning rate and weight decay.
    var parameterGroups: [ParameterGroup] { get set }
    /// Number of completed `step()` calls (saved and restored with the state).
    var stepCount: Int { get set }
    /// Per-parameter state (step counts and moment buffers).
    var state: OptimizerStateStore { get }
    /// Hyperparameters other than per-group lr and weight decay (saved; loading checks them).
    var hyperparameters: [String: Double] { get }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// Clears the gradients of every parameter (default: `Parameter.zeroGrad()`, which sets
    /// `grad` to nil like PyTorch's `set_to_none=True`).
    func zeroGrad()
}

extension Optimizer {
    /// The first group's learning rate; setting it sets every group's current learning rate.
    public var learningRate: Double {
        get { parameterGroups.first?.learningRate ?? 0 }
        set {
            for i in parameterGroups.indices { parameterGroups[i].learningRate = newValue }
        }
    }

    /// Sets each group's learning rate to `baseLearningRate × multiplier` (like `LambdaLR`).
    public func setLearningRate(multiplier: Double) {
        for i in parameterGroups.indices {
            parameterGroups[i].learningRate = parameterGroups[i].baseLearningRate * multiplier
        }
    }

    /// Sets the learning rates for optimizer step `step` (0-based) from `schedule`.
    ///
    /// Call it before `step()`; `step: stepCount` reproduces Hugging Face's LambdaLR loop.
    public func applySchedule(_ schedule: LearningRateSchedule, step: Int) {
        setLearningRate(multiplier: schedule.multiplier(at: step))
    }

    /// Clears the gradient of every parameter (`Parameter.zeroGrad()`: `grad` becomes nil).
    public func zeroGrad() {
        for group in parameterGroups {
            for parameter in group.parameters { parameter.zeroGrad() }
        }
    }

    /// All parameters with their state names, in group order.
    public var namedParameters: [(String, Parameter)] {
        parameterGroups.flatMap { group in zip(group.names, group.parameters).map { ($0, $1) } }
    }

    /// Runs `update` for every parameter with a gradient: its group, its state (whose `step`
    /// has already been incremented) and raw value/gradient buffers of `count` elements.
    /// The value buffer is written in place; the gradient is read-only.
    func forEachUpdate(_ update: (_ group: ParameterGroup, _ state: ParameterState,
                                  _ value: UnsafeMutablePointer<Float>, _ gradient: UnsafePointer<Float>,
                                  _ count: Int) -> Void) {
        for group in parameterGroups {
            for parameter in group.parameters {
                guard let gradient = parameter.grad else { continue }
                let parameterState = state.state(for: parameter)
                parameterState.step += 1
                parameter.withValueAndGradient(gradient) { value, grad, count in
                    update(group, parameterState, value, grad, count)
                }
            }
        }
    }
}

extension Parameter {
    /// Calls `body` with the value's storage (uniquely owned, contiguous, written in place) and
    /// the gradient's elements. Copy-on-write: if another tensor shares the value's storage, the
    /// parameter gets a fresh copy first, so that tensor does not change.
    func withValueAndGradient(_ gradient: Tensor,
                              _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void) {
        check(gradient.shape == value.shape,
                     "Optimizer: gradient shape \(gradient.shape) differs from parameter '\(name)' shape \(value.shape)")
        guard gradient.count > 0 else { return }
        gradient.withUnsafeBufferPointer { grad in
            value.withUnsafeMutableBufferPointer { values in
                body(values.baseAddress!, grad.baseAddress!, values.count)
            }
        }
    }
}
