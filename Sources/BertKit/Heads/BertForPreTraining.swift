import TensorCore

/// What `BertForPreTraining` returns.
public struct BertForPreTrainingOutput: @unchecked Sendable {
    /// MLM loss + NSP loss (whichever labels were given); nil without labels.
    public var loss: Tensor?
    /// Mean cross-entropy over the masked positions (0 when none is masked).
    public var mlmLoss: Tensor?
    public var nspLoss: Tensor?
    /// Vocabulary logits at `maskedPositions` only, [M, V].
    public var predictionLogits: Tensor
    /// Flat positions (b·T + t) whose logits were computed: the labelled ones, or all B·T
    /// positions when no MLM labels were given.
    public var maskedPositions: [Int]
    /// IsNext (0) / random (1) logits, [B, 2].
    public var seqRelationshipLogits: Tensor
    public var hiddenStates: [Tensor]?
    public var attentions: [Tensor]?
}

/// BERT with the masked-LM and next-sentence heads used for pretraining.
///
/// As in the original BERT, vocabulary logits are computed only at masked positions (labels
/// ≠ -100), which saves the [B·T, V] matmul; the loss equals HF's `BertForPreTraining` loss
/// (mean MLM cross-entropy over labelled tokens + NSP cross-entropy). Names: `bert.*`,
/// `cls.predictions.*`, `cls.seq_relationship.*`.
/// ```swift
/// let out = try model(input, labels: mlmLabels, nextSentenceLabel: nsp)   // out.loss!.backward()
/// ```
///
/// Reference: `BertForPreTraining` in transformers v5.23.0, [modeling_bert.py#L727](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L727).
public final class BertForPreTraining: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let predictions: BertLMPredictionHead
    public let seqRelationship: Linear

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: true, initialization: initialization, generator: &generator)
        predictions = BertLMPredictionHead(config: config, wordEmbeddings: bert.embeddings.wordEmbeddings.weight,
                                           generator: &generator)
        seqRelationship = zeroLinear(config.hiddenSize, 2)
        initialization.apply(to: predictions, config: config, generator: &generator)
        initialization.apply(to: seqRelationship, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("cls.predictions", predictions), .init("cls.seq_relationship", seqRelationship)]
    }

    /// - Parameters:
    ///   - labels: [B, T] target ids at masked positions, -100 elsewhere.
    ///   - nextSentenceLabel: [B], 0 = IsNext, 1 = random.
    public func callAsFunction(_ input: BertInput, labels: IntTensor? = nil, nextSentenceLabel: IntTensor? = nil,
                               outputHiddenStates: Bool = false, outputAttentions: Bool = false) throws
        -> BertForPreTrainingOutput
    {
        let (b, t, h) = (input.batchSize, input.sequenceLength, config.hiddenSize)
        if let labels {
            try BertLoss.checkClassLabels(labels, classes: config.vocabSize, shape: [b, t], name: "labels")
        }
        if let nsp = nextSentenceLabel {
            try BertLoss.checkClassLabels(nsp, classes: 2, shape: [b], name: "next_sentence_label", ignoreIndex: nil)
        }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let flat = out.lastHiddenState.reshape([b * t, h])  // [B·T, H]
        let positions = labels.map { l in l.values.indices.filter { l.values[$0] != -100 } } ?? Array(0..<(b * t))
        let logits: Tensor
        if positions.isEmpty {  // nothing masked: no vocabulary matmul, MLM loss 0 (never NaN)
            logits = Tensor.zeros([0, config.vocabSize])  // [0, V]
        } else {
            let selected = positions.count == b * t
                ? flat : flat.indexSelect(axis: 0, indices: IntTensor(positions, shape: [positions.count]))  // [M, H]
            logits = predictions(selected)  // [M, V]
        }
        let nspLogits = seqRelationship(out.poolerOutput!)  // [B, 2]
        var mlmLoss: Tensor?
        var nspLoss: Tensor?
        if labels != nil {
            mlmLoss = positions.isEmpty
                ? Tensor.zeros([]) : BertLoss.meanCrossEntropy(logits, positions.map { labels!.values[$0] })
        }
        if let nsp = nextSentenceLabel { nspLoss = BertLoss.meanCrossEntropy(nspLogits, nsp.values) }
        let loss: Tensor? = switch (mlmLoss, nspLoss) {
        case let (m?, n?): m + n
        case let (m?, nil): m
        case let (nil, n?): n
        case (nil, nil): nil
        }
        return BertForPreTrainingOutput(loss: loss, mlmLoss: mlmLoss, nspLoss: nspLoss, predictionLogits: logits,
                                        maskedPositions: positions, seqRelationshipLogits: nspLogits,
                                        hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
