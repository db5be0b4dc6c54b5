import Foundation
import TensorCore

/// What one optimizer step did.
public struct PretrainingStepResult: Sendable, Equatable {
    /// The 1-based number of this step.
    public var step: Int
    /// MLM loss + NSP loss of the step's batch, before the update.
    public var loss: Double
    /// Cross-entropy averaged over every masked token of all micro-batches (token-weighted).
    public var mlmLoss: Double
    /// Cross-entropy averaged over every sequence of all micro-batches.
    public var nspLoss: Double
    /// Fraction of masked tokens whose arg-max prediction is the original token.
    public var mlmAccuracy: Double
    public var nspAccuracy: Double
    public var maskedTokens: Int
    public var sequences: Int
    /// The learning rate of the first parameter group during this step.
    public var learningRate: Double
    /// Global gradient norm before clipping.
    public var gradientNorm: Double
    /// True when the loss was not finite and the batch was skipped (`skipNonFinite`).
    public var skipped: Bool
}

/// One optimizer step of BERT pretraining — forward, loss, backward over the micro-batches,
/// gradient clipping, learning-rate schedule, optimizer update — usable from a custom loop.
///
/// Gradient accumulation is normalised over the whole step, not per micro-batch: micro-batch
/// i's MLM loss (a mean over its Mᵢ masked tokens) is weighted Mᵢ / ΣM and its NSP loss
/// Bᵢ / ΣB, so k micro-batches give the gradient of the one large batch (a micro-batch without
/// masked tokens contributes an MLM loss of 0, never NaN).
///
/// ```swift
/// let trainer = PretrainingTrainer(model: model, optimizer: AdamW(groups), schedule: .linear(warmupSteps: 10, totalSteps: 100),
///                                  maxGradientNorm: 1.0)
/// let result = try trainer.step([batchA, batchB])     // grad-accum 2
/// print(result.loss, result.mlmAccuracy)
/// ```
public final class PretrainingTrainer {
    public let model: BertForPreTraining
    public let optimizer: any Optimizer
    public var schedule: LearningRateSchedule
    /// Clip the global gradient norm to this (nil: no clipping).
    public var maxGradientNorm: Double?
    /// Skip a step whose loss or gradient norm is not finite instead of throwing.
    public var skipNonFinite: Bool
    /// Completed steps (skipped ones included): the schedule position.
    public var completedSteps: Int
    /// Steps skipped because of a non-finite loss.
    public var skippedSteps: Int
    /// Data-parallel processes (nil: this process alone). With one, `step` takes this process's
    /// share of the global batch and sums counts, gradients and metrics over all processes.
    public var reducer: (any GradientReducer)?

    public init(model: BertForPreTraining, optimizer: any Optimizer, schedule: LearningRateSchedule,
                maxGradientNorm: Double? = 1.0, skipNonFinite: Bool = false) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.maxGradientNorm = maxGradientNorm
        self.skipNonFinite = skipNonFinite
        completedSteps = 0
        skippedSteps = 0
    }

    /// Runs one optimizer step over `microBatches` (gradient accumulation when more than one).
    /// - Throws: ``TrainingError/nonFiniteLoss(step:loss:gradientNorm:)`` (parameters and
    ///   optimizer untouched) unless `skipNonFinite`; model input errors.
    public func step(_ microBatches: [TrainingBatch]) throws -> PretrainingStepResult {
        check(!microBatches.isEmpty, "PretrainingTrainer.step: no micro-batch")
        let stepNumber = completedSteps + 1
        model.train()
        optimizer.zeroGrad()
        let distributed = (reducer?.worldSize ?? 1) > 1
        var totals = [Double(microBatches.reduce(0) { $0 + $1.maskedTokenCount }),
                      Double(microBatches.reduce(0) { $0 + $1.batchSize })]
        if distributed { totals = try reducer!.sum(totals) }  // loss weights over the global batch
        let totalMasked = Int(totals[0]), totalSequences = Int(totals[1])
        var mlmSum = 0.0, nspSum = 0.0, mlmCorrect = 0, nspCorrect = 0
        var singleLoss: Double?
        var finite = true
        for (index, batch) in microBatches.enumerated() {
            let out = try model(try batch.input(config: model.config), labels: batch.labels,
                                nextSentenceLabel: batch.nextSentence)
            let mlm = out.mlmLoss!, nsp = out.nspLoss!
            let masked = out.maskedPositions.count
            let mlmWeight = totalMasked == 0 ? 0 : Float(masked) / Float(totalMasked)
            let nspWeight = Float(batch.batchSize) / Float(totalSequences)
            // One micro-batch: the weights are exactly 1 and the loss is the model's own sum.
            let single = microBatches.count == 1 && !distributed
            let loss = single ? out.loss! : mlm * mlmWeight + nsp * nspWeight
            if single { singleLoss = Double(loss.item) }
            mlmSum += Double(mlm.item) * Double(masked)
            nspSum += Double(nsp.item) * Double(batch.batchSize)
            mlmCorrect += PretrainingAccuracy.correctPredictions(out.predictionLogits,
                                                                 labels: out.maskedPositions.map { batch.mlmLabels[$0] })
            nspCorrect += PretrainingAccuracy.correctPredictions(out.seqRelationshipLogits, labels: batch.nextSentenceLabels)
            // Distributed: every process must join the reduction; a non-finite loss shows in the sums.
            guard loss.item.isFinite || distributed else { finite = false; break }
            if distributed && index == microBatches.count - 1 { reducer!.beginReduction() }
            loss.backward()
        }
        if distributed {
            try reducer!.finishReduction()
            let sums = try reducer!.sum([mlmSum, nspSum, Double(mlmCorrect), Double(nspCorrect)])
            (mlmSum, nspSum, mlmCorrect, nspCorrect) = (sums[0], sums[1], Int(sums[2]), Int(sums[3]))
            finite = mlmSum.isFinite && nspSum.isFinite
        }
        let mlmLoss = totalMasked == 0 ? 0 : mlmSum / Double(totalMasked)
        let nspLoss = nspSum / Double(totalSequences)
        var norm: Float = 0, coefficient: Float = 1
        if finite {
            (norm, coefficient) = ClippedUpdate.norm(optimizer, maxNorm: maxGradientNorm)
            finite = norm.isFinite
        }
        optimizer.applySchedule(schedule, step: completedSteps)
        var result = PretrainingStepResult(
            step: stepNumber, loss: singleLoss ?? Double(Float(mlmLoss) + Float(nspLoss)), mlmLoss: mlmLoss,
            nspLoss: nspLoss, mlmAccuracy: totalMasked == 0 ? 0 : Double(mlmCorrect) / Double(totalMasked),
            nspAccuracy: Double(nspCorrect) / Double(totalSequences), maskedTokens: totalMasked,
            sequences: totalSequences, learningRate: optimizer.learningRate, gradientNorm: Double(norm), skipped: false)
        guard finite else {
            optimizer.zeroGrad()
            guard skipNonFinite else {
                throw TrainingError.nonFiniteLoss(step: stepNumber, loss: result.loss, gradientNorm: Double(norm))
            }
            completedSteps += 1
            skippedSteps += 1
            result.skipped = true
            return result
        }
        ClippedUpdate.apply(optimizer, coefficient: coefficient, maxNorm: maxGradientNorm)
        completedSteps += 1
        return result
    }
}

/// Arg-max accuracy counts.
enum PretrainingAccuracy {
    /// Rows of `logits` [N, C] whose arg-max equals the label (-100 rows never count).
    static func correctPredictions(_ logits: Tensor, labels: [Int]) -> Int {
        guard logits.shape[0] > 0 else { return 0 }
        let predicted = logits.detached().argmax(axis: 1).values
        return zip(predicted, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    }
}
