import TensorCore

/// Multiple choice (SWAG) on DistilBERT: each of the C candidates is encoded, its first token's
/// hidden state → pre_classifier (H→H) → ReLU → dropout(seq_classif_dropout) → classifier (H→1),
/// and the C scores compete in a softmax. Names: `distilbert.*`, `pre_classifier.*`,
/// `classifier.*`.
/// ```swift
/// let out = try model(inputIds: ids /* [B, C, T] */, attentionMask: mask, labels: answers)  // logits [B, C]
/// ```
///
/// Reference: `DistilBertForMultipleChoice` in transformers v5.23.0, [modeling_distilbert.py#L793](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L793).
public final class DistilBertForMultipleChoice: Module {
    public let config: DistilBertConfig
    public let distilbert: DistilBertModel
    public let preClassifier: Linear
    public let dropout: Dropout
    public let classifier: Linear

    public init(config: DistilBertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        distilbert = DistilBertModel(config: config, initialization: initialization, generator: &generator)
        preClassifier = zeroLinear(config.dim, config.dim)
        dropout = Dropout(probability: Float(config.seqClassifDropout), generator: &generator)
        classifier = zeroLinear(config.dim, 1)
        if case .huggingFace = initialization {
            for head in [preClassifier, classifier] {
                initializeDistilBertWeights(head, config: config, generator: &generator)
            }
        }
    }

    public var children: [ModuleChild] {
        [.init("distilbert", distilbert), .init("pre_classifier", preClassifier), .init("dropout", dropout),
         .init("classifier", classifier)]
    }

    /// - Parameters: inputIds / attentionMask [B, C, T]; labels [B] (the correct choice).
    public func callAsFunction(inputIds: IntTensor, attentionMask: IntTensor? = nil, labels: IntTensor? = nil,
                               outputHiddenStates: Bool = false, outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        guard inputIds.shape.count == 3 else {
            throw BertError.invalidInput("multiple-choice input_ids must be [batch, choices, length], got \(inputIds.shape)")
        }
        let (b, c, t) = (inputIds.shape[0], inputIds.shape[1], inputIds.shape[2])
        if let attentionMask, attentionMask.shape != inputIds.shape {
            throw BertError.invalidInput("attention_mask shape \(attentionMask.shape) does not match input_ids shape \(inputIds.shape)")
        }
        let input = try DistilBertInput(inputIds: IntTensor(inputIds.values, shape: [b * c, t]),
                                        attentionMask: attentionMask.map { IntTensor($0.values, shape: [b * c, t]) }, config: config)
        if let labels { try BertLoss.checkClassLabels(labels, classes: c, shape: [b], name: "labels") }
        let out = distilbert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let first = out.lastHiddenState.narrow(axis: 1, start: 0, length: 1).squeeze(axis: 1)  // [B·C, H]
        let logits = classifier(dropout(preClassifier(first).relu())).reshape([b, c])  // [B, C]
        return BertHeadOutput(loss: labels.map { BertLoss.meanCrossEntropy(logits, $0.values) },  // []
                              logits: logits, hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
