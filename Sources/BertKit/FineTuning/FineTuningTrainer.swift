import TensorCore

/// What one fine-tuning optimizer step did.
public struct FineTuningStepResult: Sendable, Equatable {
    /// The 1-based number of this step.
    public var step: Int
    /// The task loss of the step: the mean over every loss term of the global batch (its
    /// examples; its labelled tokens for tagging), micro-batches and processes weighted by theirs.
    public var loss: Double
    public var examples: Int
    /// The learning rate of the first parameter group during this step.
    public var learningRate: Double
    /// Global gradient norm before clipping.
    public var gradientNorm: Double
}

/// One optimizer step of any fine-tuning task — the task's loss on each micro-batch, backward,
/// gradient clipping, learning-rate schedule, update (``ClippedUpdate``, as pretraining).
///
/// Micro-batch i's mean loss is weighted wᵢ / Σw, where wᵢ is the number of terms that mean
/// averages (its examples, or e.g. its labelled tokens: ``FineTuningTask/lossWeight(_:)``), so k
/// micro-batches — and the processes of a data-parallel run — give the gradient of the one large
/// batch.
///
/// ```swift
/// let trainer = FineTuningTrainer(model: classifier, optimizer: AdamW(groups),
///                                 schedule: .linear(warmupSteps: 25, totalSteps: 250))
/// let result = try trainer.step(microBatches: [32]) { _ in try classifier(input, labels: labels).loss! }
/// ```
public final class FineTuningTrainer {
    public let model: any Module
    public let optimizer: any Optimizer
    public var schedule: LearningRateSchedule
    /// Clip the global gradient norm to this (nil: no clipping).
    public var maxGradientNorm: Double?
    /// Completed steps: the schedule position.
    public var completedSteps = 0
    /// Sums gradients, example counts and losses over the processes of a data-parallel run
    /// (nil: one process). Each process then passes its own share of the global batch to
    /// ``step(microBatches:weights:loss:)``; losses are weighted by the global loss weight.
    public var reducer: (any GradientReducer)?

    public init(model: any Module, optimizer: any Optimizer, schedule: LearningRateSchedule,
                maxGradientNorm: Double? = 1.0) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.maxGradientNorm = maxGradientNorm
    }

    /// Runs one step over micro-batches of the given example counts; `loss(i)` returns the mean
    /// loss of micro-batch i (a scalar with a graph to the model's parameters).
    /// - Parameter weights: how many terms each micro-batch's mean averages (nil: its examples).
    /// - Throws: ``TrainingError/nonFiniteLoss(step:loss:gradientNorm:)`` (nothing updated), or
    ///   what `loss` throws.
    public func step(microBatches sizes: [Int], weights: [Int]? = nil, loss: (Int) throws -> Tensor) throws -> FineTuningStepResult {
        check(!sizes.isEmpty && sizes.allSatisfy { $0 > 0 }, "FineTuningTrainer.step: empty micro-batch \(sizes)")
        let weights = weights ?? sizes
        check(weights.count == sizes.count && weights.allSatisfy { $0 >= 0 },
              "FineTuningTrainer.step: loss weights \(weights) for micro-batches \(sizes)")
        let stepNumber = completedSteps + 1
        let distributed = (reducer?.worldSize ?? 1) > 1
        // Loss weights over the global batch: the processes' gradients then sum to its gradient.
        var (total, totalWeight) = (sizes.reduce(0, +), weights.reduce(0, +))
        if distributed {
            let sums = try reducer!.sum([Double(total), Double(totalWeight)])
            (total, totalWeight) = (Int(sums[0]), Int(sums[1]))
        }
        let weighted = sizes.count > 1 || distributed
        model.train()
        optimizer.zeroGrad()
        var sum = 0.0
        var finite = true
        for (i, w) in weights.enumerated() {
            var l = try loss(i)
            // (No loss term anywhere — e.g. no labelled token: every loss is 0, and so its weight.)
            if weighted { l = l * (totalWeight > 0 ? Float(w) / Float(totalWeight) : 0) }
            let value = Double(l.item)
            sum += value  // already weighted; alone with one micro-batch its weight is the total
            if !value.isFinite {
                finite = false
                // Alone: stop here. Distributed: every process still takes part in the reduction.
                if !distributed { break }
            }
            if distributed && i == sizes.count - 1 { reducer!.beginReduction() }
            l.backward()
        }
        if distributed {
            try reducer!.finishReduction()
            let sums = try reducer!.sum([finite ? sum : 0, finite ? 0 : 1])
            sum = sums[0]
            finite = sums[1] == 0
        }
        var norm: Float = 0, coefficient: Float = 1
        if finite {
            (norm, coefficient) = ClippedUpdate.norm(optimizer, maxNorm: maxGradientNorm)
            finite = norm.isFinite
        }
        optimizer.applySchedule(schedule, step: completedSteps)
        guard finite else {
            optimizer.zeroGrad()
            throw TrainingError.nonFiniteLoss(step: stepNumber, loss: sum, gradientNorm: Double(norm))
        }
        let result = FineTuningStepResult(step: stepNumber, loss: sum, examples: total,
                                          learningRate: optimizer.learningRate, gradientNorm: Double(norm))
        ClippedUpdate.apply(optimizer, coefficient: coefficient, maxNorm: maxGradientNorm)
        completedSteps += 1
        return result
    }
}
