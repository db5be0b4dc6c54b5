import TensorCore

/// One statically masked pretraining example: `[CLS] A [SEP] B [SEP]` as ids with the
/// replacements already applied at `maskedPositions`, whose original ids are `maskedLabels`.
///
/// ```swift
/// let example = PretrainingExample(inputIds: [2, 7, 4, 3, 9, 3], segmentIds: [0, 0, 0, 0, 1, 1],
///                                  maskedPositions: [2], maskedLabels: [8], nextSentenceLabel: 0)
/// ```
public struct PretrainingExample: Sendable, Equatable, Codable {
    /// Token ids, at most the model's `max_position_embeddings` long.
    public var inputIds: [Int]
    /// 0 for `[CLS] A [SEP]`, 1 for `B [SEP]` (same length as `inputIds`).
    public var segmentIds: [Int]
    /// Positions whose original token is predicted, increasing.
    public var maskedPositions: [Int]
    /// The original id at each masked position.
    public var maskedLabels: [Int]
    /// 0 = B follows A (IsNext), 1 = B is random.
    public var nextSentenceLabel: Int

    public init(inputIds: [Int], segmentIds: [Int], maskedPositions: [Int], maskedLabels: [Int],
                nextSentenceLabel: Int) {
        self.inputIds = inputIds
        self.segmentIds = segmentIds
        self.maskedPositions = maskedPositions
        self.maskedLabels = maskedLabels
        self.nextSentenceLabel = nextSentenceLabel
    }
}

/// A padded batch of pretraining examples in the form ``PretrainingTrainer`` consumes: flat
/// [B·T] arrays, MLM labels -100 where nothing is predicted (Hugging Face's convention).
///
/// ```swift
/// let batch = TrainingBatch(examples: examples, sequenceLength: 128, padId: 0)
/// let out = try model(try batch.input(config: config), labels: batch.labels,
///                     nextSentenceLabel: batch.nextSentence)
/// ```
public struct TrainingBatch: Sendable, Equatable {
    public var batchSize: Int
    public var sequenceLength: Int
    /// [B·T] ids, padded with `padId`.
    public var inputIds: [Int]
    /// [B·T] segment ids (0 on padding).
    public var tokenTypeIds: [Int]
    /// [B·T] 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]
    /// [B·T] original id at masked positions, -100 elsewhere.
    public var mlmLabels: [Int]
    /// [B] next-sentence labels.
    public var nextSentenceLabels: [Int]

    /// Flat arrays as they are (each [B·T], labels [B]).
    public init(batchSize: Int, sequenceLength: Int, inputIds: [Int], tokenTypeIds: [Int], attentionMask: [Int],
                mlmLabels: [Int], nextSentenceLabels: [Int]) {
        check([inputIds.count, tokenTypeIds.count, attentionMask.count, mlmLabels.count]
            .allSatisfy { $0 == batchSize * sequenceLength } && nextSentenceLabels.count == batchSize,
            "TrainingBatch: arrays do not match B=\(batchSize), T=\(sequenceLength)")
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.inputIds = inputIds
        self.tokenTypeIds = tokenTypeIds
        self.attentionMask = attentionMask
        self.mlmLabels = mlmLabels
        self.nextSentenceLabels = nextSentenceLabels
    }

    /// Pads `examples` to `sequenceLength` (the longest example when nil).
    /// - Throws: ``TrainingError/invalidData(_:)`` when an example is longer than `sequenceLength`
    ///   or its arrays disagree.
    public init(examples: [PretrainingExample], sequenceLength: Int? = nil, padId: Int = 0) throws {
        let t = sequenceLength ?? examples.map(\.inputIds.count).max() ?? 0
        let b = examples.count
        var ids = [Int](repeating: padId, count: b * t), types = [Int](repeating: 0, count: b * t)
        var mask = [Int](repeating: 0, count: b * t), labels = [Int](repeating: -100, count: b * t)
        for (row, e) in examples.enumerated() {
            guard e.inputIds.count <= t else {
                throw TrainingError.invalidData("an example has \(e.inputIds.count) tokens, more than the sequence length \(t)")
            }
            guard e.segmentIds.count == e.inputIds.count, e.maskedPositions.count == e.maskedLabels.count,
                  e.maskedPositions.allSatisfy({ (0..<e.inputIds.count).contains($0) }) else {
                throw TrainingError.invalidData("an example's segment ids or masked positions do not match its \(e.inputIds.count) tokens")
            }
            for k in e.inputIds.indices {
                ids[row * t + k] = e.inputIds[k]
                types[row * t + k] = e.segmentIds[k]
                mask[row * t + k] = 1
            }
            for (p, label) in zip(e.maskedPositions, e.maskedLabels) { labels[row * t + p] = label }
        }
        self.init(batchSize: b, sequenceLength: t, inputIds: ids, tokenTypeIds: types, attentionMask: mask,
                  mlmLabels: labels, nextSentenceLabels: examples.map(\.nextSentenceLabel))
    }

    /// Number of positions with an MLM label.
    public var maskedTokenCount: Int { mlmLabels.reduce(0) { $0 + ($1 == -100 ? 0 : 1) } }

    /// [B, T] MLM labels.
    public var labels: IntTensor { IntTensor(mlmLabels, shape: [batchSize, sequenceLength]) }
    /// [B] next-sentence labels.
    public var nextSentence: IntTensor { IntTensor(nextSentenceLabels, shape: [batchSize]) }

    /// The model input, checked against `config` (ids < V, T ≤ max positions).
    public func input(config: BertConfig) throws -> BertInput {
        try BertInput(inputIds: IntTensor(inputIds, shape: [batchSize, sequenceLength]),
                      attentionMask: IntTensor(attentionMask, shape: [batchSize, sequenceLength]),
                      tokenTypeIds: IntTensor(tokenTypeIds, shape: [batchSize, sequenceLength]), config: config)
    }

    /// Rows `range` of this batch.
    public func rows(_ range: Range<Int>) -> TrainingBatch {
        let t = sequenceLength
        let flat = (range.lowerBound * t)..<(range.upperBound * t)
        return TrainingBatch(batchSize: range.count, sequenceLength: t, inputIds: Array(inputIds[flat]),
                             tokenTypeIds: Array(tokenTypeIds[flat]), attentionMask: Array(attentionMask[flat]),
                             mlmLabels: Array(mlmLabels[flat]), nextSentenceLabels: Array(nextSentenceLabels[range]))
    }
}
