import Foundation
import TensorCore
import Tokenization

/// One held-out example with what the model predicts at its masked positions — the seeds' view
/// of learning progress (first `. . . .`, then `the the`, then real words).
///
/// ```swift
/// let sample = try PredictionSample.make(model, batch: try heldOut.batch(indices: [0]))
/// print(sample.text(step: 500, vocabulary: vocab))
/// ```
public struct PredictionSample: Sendable, Equatable {
    public var inputIds: [Int]
    public var targetIds: [Int]
    public var predictedIds: [Int]

    /// Runs `model` (eval mode, no gradients) on the first row of `batch`.
    public static func make(_ model: BertForPreTraining, batch: TrainingBatch) throws -> PredictionSample {
        let row = batch.rows(0..<1)
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        let out = try withNoGrad { try model(try row.input(config: model.config), labels: row.labels) }
        let predicted = out.predictionLogits.shape[0] > 0 ? out.predictionLogits.argmax(axis: 1).values : []
        let length = row.attentionMask.reduce(0, +)
        return PredictionSample(inputIds: Array(row.inputIds.prefix(length)),
                                targetIds: out.maskedPositions.map { row.mlmLabels[$0] }, predictedIds: predicted)
    }

    /// Three lines: input tokens, target tokens, predicted tokens.
    public func text(step: Int, vocabulary: Vocabulary?) -> String {
        func words(_ ids: [Int]) -> String {
            ids.map { vocabulary?.token(for: $0) ?? "#\($0)" }.joined(separator: " ")
        }
        return "sample at step \(step)\n  input:     \(words(inputIds))\n  target:    \(words(targetIds))\n"
            + "  predicted: \(words(predictedIds))"
    }
}
