import Foundation

/// A learning-rate schedule: a pure function from the optimizer step to a multiplier of each
/// parameter group's base learning rate, exactly as the `lr_lambda` that Hugging Face
/// `transformers` hands to `torch.optim.lr_scheduler.LambdaLR`.
///
/// Step numbering follows `LambdaLR`: the first optimizer step uses `multiplier(at: 0)`, the
/// k-th (0-based) uses `multiplier(at: k)`. With warmup, step 0 therefore trains with
/// learning rate 0, as in Hugging Face.
///
/// References (ported formula by formula, all arithmetic in `Double` like Python floats):
/// - `transformers/optimization.py` (`get_constant_schedule`,
///   `get_constant_schedule_with_warmup`, `get_linear_schedule_with_warmup`,
///   `get_cosine_schedule_with_warmup`, `get_cosine_with_hard_restarts_schedule_with_warmup`,
///   `get_polynomial_decay_schedule_with_warmup`).
/// - google-research/bert `optimization.py` `create_optimizer` for ``bertOriginal``.
///
/// ```swift
/// let schedule = LearningRateSchedule.linear(warmupSteps: 100, totalSteps: 1000)
/// for step in 0..<1000 {
///     optimizer.applySchedule(schedule, step: step)   // lr = base lr × multiplier
///     // forward, backward, optimizer.step(), optimizer.zeroGrad()
/// }
/// ```
public enum LearningRateSchedule: Sendable, Hashable, Codable {
    /// Multiplier 1 at every step (`get_constant_schedule`).
    case constant
    /// Linear warmup from 0 over `warmupSteps`, then 1 (`get_constant_schedule_with_warmup`).
    case constantWithWarmup(warmupSteps: Int)
    /// Linear warmup, then linear decay to 0 over the remaining `totalSteps − warmupSteps`
    /// steps; 0 after `totalSteps` (`get_linear_schedule_with_warmup`).
    case linear(warmupSteps: Int, totalSteps: Int)
    /// Linear warmup, then `0.5·(1 + cos(π · 2·cycles · progress))`, clamped at 0
    /// (`get_cosine_schedule_with_warmup`, default `cycles` 0.5: a half cosine down to 0).
    /// As in Hugging Face the curve keeps following the cosine after `totalSteps`.
    case cosine(warmupSteps: Int, totalSteps: Int, cycles: Double = 0.5)
    /// Linear warmup, then `cycles` cosine decays from 1 to 0, each restarting at 1;
    /// 0 from `totalSteps` on (`get_cosine_with_hard_restarts_schedule_with_warmup`).
    case cosineWithHardRestarts(warmupSteps: Int, totalSteps: Int, cycles: Int = 1)
    /// Linear warmup, then polynomial decay from `initialLR` to `endLR` with `power`, then
    /// `endLR / initialLR` after `totalSteps` (`get_polynomial_decay_schedule_with_warmup`;
    /// `initialLR` is the optimizer's default lr there, and must be larger than `endLR`).
    case polynomial(warmupSteps: Int, totalSteps: Int, initialLR: Double, endLR: Double = 1e-7,
                    power: Double = 1.0)
    /// The original Google BERT schedule (`optimization.py`): linear decay from the base lr
    /// to 0 over `totalSteps` counted **from step 0** (`tf.train.polynomial_decay`, power 1),
    /// replaced by linear warmup `step / warmupSteps` while `step < warmupSteps`.
    /// Unlike ``linear(warmupSteps:totalSteps:)`` the decay does not restart after warmup:
    /// at the end of warmup the multiplier is `1 − warmupSteps / totalSteps`, not 1.
    case bertOriginal(warmupSteps: Int, totalSteps: Int)

    /// The multiplier of the base learning rate at `step` (0-based optimizer step).
    ///
    /// - Parameter step: the number of optimizer steps already taken.
    /// - Returns: the factor `LambdaLR` would multiply each group's initial lr by.
    public func multiplier(at step: Int) -> Double {
        let s = Double(step)
        switch self {
        case .constant:
            return 1
        case let .constantWithWarmup(warmup):
            if step < warmup { return s / max(1.0, Double(warmup)) }
            return 1
        case let .linear(warmup, total):
            if step < warmup { return s / Double(max(1, warmup)) }
            return max(0.0, Double(total - step) / Double(max(1, total - warmup)))
        case let .cosine(warmup, total, cycles):
            if step < warmup { return s / Double(max(1, warmup)) }
            let progress = Double(step - warmup) / Double(max(1, total - warmup))
            let factor = 0.5 * (1.0 + cos(Double.pi * cycles * 2.0 * progress))
            return max(0, factor)
        case let .cosineWithHardRestarts(warmup, total, cycles):
            if step < warmup { return s / Double(max(1, warmup)) }
            let progress = Double(step - warmup) / Double(max(1, total - warmup))
            if progress >= 1.0 { return 0 }
            let phase = (Double(cycles) * progress).truncatingRemainder(dividingBy: 1.0)
            return max(0.0, 0.5 * (1.0 + cos(Double.pi * phase)))
        case let .polynomial(warmup, total, initialLR, endLR, power):
            if step < warmup { return s / Double(max(1, warmup)) }
            if step > total { return endLR / initialLR }
            let decaySteps = total - warmup
            // Hugging Face divides by zero here (warmup == total == step); we return the end
            // value instead, which is the limit of the formula.
            if decaySteps <= 0 { return endLR / initialLR }
            let remaining = 1 - Double(step - warmup) / Double(decaySteps)
            let decayed = (initialLR - endLR) * pow(remaining, power) + endLR
            return decayed / initialLR
        case let .bertOriginal(warmup, total):
            if step < warmup { return s / Double(warmup) }
            // `tf.train.polynomial_decay(cycle: false)` clamps the step at `totalSteps`.
            guard total > 0 else { return 0 }
            return 1.0 - Double(min(step, total)) / Double(total)
        }
    }

    /// The learning rate at `step` for a group whose base (initial) learning rate is `baseLR`.
    ///
    /// ```swift
    /// let lr = LearningRateSchedule.cosine(warmupSteps: 10, totalSteps: 100)
    ///     .learningRate(base: 5e-5, at: 50)
    /// ```
    public func learningRate(base baseLR: Double, at step: Int) -> Double {
        baseLR * multiplier(at: step)
    }

    /// Checks the arguments the way Hugging Face does when the schedule is built.
    ///
    /// - Throws: ``LearningRateScheduleError`` naming the bad argument.
    public func validate() throws {
        func nonNegative(_ value: Int, _ name: String) throws {
            if value < 0 { throw LearningRateScheduleError(message: "\(name) must be ≥ 0, got \(value)") }
        }
        switch self {
        case .constant:
            return
        case let .constantWithWarmup(warmup):
            try nonNegative(warmup, "warmupSteps")
        case let .linear(warmup, total), let .cosine(warmup, total, _),
             let .cosineWithHardRestarts(warmup, total, _), let .bertOriginal(warmup, total):
            try nonNegative(warmup, "warmupSteps")
            try nonNegative(total, "totalSteps")
        case let .polynomial(warmup, total, initialLR, endLR, _):
            try nonNegative(warmup, "warmupSteps")
            try nonNegative(total, "totalSteps")
            if !(initialLR > endLR) {
                throw LearningRateScheduleError(
                    message: "endLR (\(endLR)) must be smaller than initialLR (\(initialLR))")
            }
        }
    }
}

/// A schedule built with arguments Hugging Face would reject.
public struct LearningRateScheduleError: Error, CustomStringConvertible, Sendable {
    /// What was wrong.
    public var message: String
    public var description: String { "invalid learning-rate schedule: \(message)" }
}
