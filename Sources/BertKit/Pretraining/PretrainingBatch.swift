import TensorCore

/// A batch of instances padded to one length, in the forms BERT pretraining takes: the model
/// input, full-length MLM labels (-100 where nothing is predicted, as `transformers`), and
/// Google's compact form (positions, ids and weights padded to `maxPredictions`).
///
/// ```swift
/// let batch = try dataset.batch(indices: [0, 1, 2, 3])      // or a DynamicMasker's batch
/// let output = model(try batch.input(config: config), labels: batch.labels, nextSentenceLabel: batch.nextSentenceLabels)
/// ```
public struct PretrainingBatch: Sendable, Equatable {
    public var batchSize: Int
    public var sequenceLength: Int
    /// [B·T] token ids, padded with the [PAD] id.
    public var inputIds: [Int]
    /// [B·T] 0 for `[CLS] A [SEP]` and padding, 1 for `B [SEP]`.
    public var tokenTypeIds: [Int]
    /// [B·T] 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]
    /// [B·T] original id at masked positions, -100 elsewhere.
    public var mlmLabels: [Int]
    /// [B·P] masked positions, 0-padded (Google's `masked_lm_positions`).
    public var maskedPositions: [Int]
    /// [B·P] original ids at those positions, 0-padded (`masked_lm_ids`).
    public var maskedIds: [Int]
    /// [B·P] 1 for a real prediction, 0 for padding (`masked_lm_weights`).
    public var maskedWeights: [Float]
    /// P, the width of the compact masked arrays.
    public var maxPredictions: Int
    /// [B] next-sentence labels (1 = random next).
    public var nextSentence: [Int]

    /// Pads `instances` to `sequenceLength` (≥ the longest) and `maxPredictions` columns.
    public init(instances: [TrainingInstance], sequenceLength: Int, maxPredictions: Int, padId: Int32) {
        let b = instances.count, t = sequenceLength
        let p = max(maxPredictions, instances.map(\.maskedPositions.count).max() ?? 0)
        batchSize = b
        self.sequenceLength = t
        self.maxPredictions = p
        inputIds = [Int](repeating: Int(padId), count: b * t)
        tokenTypeIds = [Int](repeating: 0, count: b * t)
        attentionMask = [Int](repeating: 0, count: b * t)
        mlmLabels = [Int](repeating: -100, count: b * t)
        maskedPositions = [Int](repeating: 0, count: b * p)
        maskedIds = [Int](repeating: 0, count: b * p)
        maskedWeights = [Float](repeating: 0, count: b * p)
        nextSentence = instances.map { Int($0.nextSentenceLabel) }
        for (row, instance) in instances.enumerated() {
            check(instance.tokens.count <= t, "PretrainingBatch: instance longer than sequenceLength")
            for (k, id) in instance.tokens.enumerated() {
                inputIds[row * t + k] = Int(id)
                attentionMask[row * t + k] = 1
                tokenTypeIds[row * t + k] = k < instance.firstSegmentLength ? 0 : 1
            }
            for (k, position) in instance.maskedPositions.enumerated() {
                mlmLabels[row * t + Int(position)] = Int(instance.maskedLabels[k])
                maskedPositions[row * p + k] = Int(position)
                maskedIds[row * p + k] = Int(instance.maskedLabels[k])
                maskedWeights[row * p + k] = 1
            }
        }
    }

    /// The model-facing part, in the form ``PretrainingTrainer`` consumes (the compact Google
    /// arrays left out).
    public var trainingBatch: TrainingBatch {
        TrainingBatch(batchSize: batchSize, sequenceLength: sequenceLength, inputIds: inputIds, tokenTypeIds: tokenTypeIds,
                      attentionMask: attentionMask, mlmLabels: mlmLabels, nextSentenceLabels: nextSentence)
    }

    /// The model input ([B, T] ids, attention mask, token types), checked against `config`.
    /// - Throws: ``BertError/invalidInput(_:)`` when ids or the length do not fit the model.
    public func input(config: BertConfig) throws -> BertInput { try trainingBatch.input(config: config) }

    /// [B, T] MLM labels (-100 = not predicted).
    public var labels: IntTensor { trainingBatch.labels }

    /// [B] next-sentence labels.
    public var nextSentenceLabels: IntTensor { trainingBatch.nextSentence }
}
