import Foundation
import TensorCore

/// Held-out figures of a pretraining model on fixed (static) masks.
public struct PretrainingEvaluation: Sendable, Equatable, Codable {
    /// Cross-entropy averaged over every masked token (token-weighted, not per batch).
    public var mlmLoss: Double
    /// exp(mlmLoss).
    public var perplexity: Double
    public var mlmAccuracy: Double
    public var nspLoss: Double
    public var nspAccuracy: Double
    public var maskedTokens: Int
    public var sequences: Int

    enum CodingKeys: String, CodingKey {
        case mlmLoss = "mlm_loss", perplexity, mlmAccuracy = "mlm_accuracy", nspLoss = "nsp_loss"
        case nspAccuracy = "nsp_accuracy", maskedTokens = "masked_tokens", sequences
    }
}

/// Evaluates a ``BertForPreTraining`` on every example of a source, in order, without
/// gradients and with dropout off (the model's mode is restored afterwards; dropout streams
/// are not advanced, so evaluating mid-run does not change training).
///
/// ```swift
/// let figures = try PretrainingEvaluator(batchSize: 32).evaluate(model, on: heldOut)
/// print(figures.perplexity)
/// ```
public struct PretrainingEvaluator: Sendable {
    public var batchSize: Int
    /// Evaluate at most this many examples (all when nil).
    public var limit: Int?

    public init(batchSize: Int = 32, limit: Int? = nil) {
        check(batchSize > 0, "PretrainingEvaluator: batchSize must be positive")
        self.batchSize = batchSize
        self.limit = limit
    }

    /// With a `reducer` (data-parallel run) each process evaluates its own contiguous block of
    /// the examples and the sums and counts are added over processes: every example is seen
    /// once, and every process gets the figures of the whole set.
    public func evaluate(_ model: BertForPreTraining, on source: any PretrainingBatchSource,
                         reducer: (any GradientReducer)? = nil) throws -> PretrainingEvaluation
    {
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        let total = min(limit ?? source.count, source.count)
        let (rank, world) = (reducer?.rank ?? 0, reducer?.worldSize ?? 1)
        let end = total * (rank + 1) / world
        var mlmSum = 0.0, nspSum = 0.0, masked = 0, sequences = 0, mlmCorrect = 0, nspCorrect = 0
        try withNoGrad {
            var start = total * rank / world
            while start < end {
                let indices = Array(start..<min(start + batchSize, end))
                start += indices.count
                let batch = try source.batch(indices: indices)
                let out = try model(try batch.input(config: model.config), labels: batch.labels,
                                    nextSentenceLabel: batch.nextSentence)
                let m = out.maskedPositions.count
                mlmSum += Double(out.mlmLoss!.item) * Double(m)
                nspSum += Double(out.nspLoss!.item) * Double(batch.batchSize)
                masked += m
                sequences += batch.batchSize
                mlmCorrect += PretrainingAccuracy.correctPredictions(out.predictionLogits,
                                                                     labels: out.maskedPositions.map { batch.mlmLabels[$0] })
                nspCorrect += PretrainingAccuracy.correctPredictions(out.seqRelationshipLogits,
                                                                     labels: batch.nextSentenceLabels)
            }
        }
        if world > 1 {
            let s = try reducer!.sum([mlmSum, nspSum, Double(masked), Double(sequences), Double(mlmCorrect), Double(nspCorrect)])
            (mlmSum, nspSum, masked, sequences, mlmCorrect, nspCorrect) = (s[0], s[1], Int(s[2]), Int(s[3]), Int(s[4]), Int(s[5]))
        }
        guard sequences > 0 else { throw TrainingError.invalidData("the evaluation data has no example") }
        let mlmLoss = masked == 0 ? 0 : mlmSum / Double(masked)
        return PretrainingEvaluation(mlmLoss: mlmLoss, perplexity: exp(mlmLoss),
                                     mlmAccuracy: masked == 0 ? 0 : Double(mlmCorrect) / Double(masked),
                                     nspLoss: nspSum / Double(sequences),
                                     nspAccuracy: Double(nspCorrect) / Double(sequences),
                                     maskedTokens: masked, sequences: sequences)
    }
}
