import TensorCore

/// DistilBERT with a classifier on the first token's hidden state:
/// pre_classifier (H→H) → ReLU → dropout(seq_classif_dropout) → classifier (H→numLabels).
///
/// The loss follows HF (as ``BertForSequenceClassification``): `problem_type` from the config,
/// or if unset, regression (MSE) when `numLabels == 1`, single-label cross-entropy for class
/// indices, otherwise multi-label BCE-with-logits. Names: `distilbert.*`, `pre_classifier.*`,
/// `classifier.*`.
/// ```swift
/// let out = try model(input, labels: .classes(IntTensor([2, 0], shape: [2])))   // logits [B, C]
/// ```
///
/// Reference: `DistilBertForSequenceClassification` in transformers v5.23.0, [modeling_distilbert.py#L528](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L528).
public final class DistilBertForSequenceClassification: Module {
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
        classifier = zeroLinear(config.dim, config.numLabels)
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

    /// The problem type the loss will use for these labels (HF's rule).
    public func problemType(for labels: SequenceLabels) -> ProblemType {
        if let p = config.problemType { return p }
        if config.numLabels == 1 { return .regression }
        if case .classes = labels { return .singleLabelClassification }
        return .multiLabelClassification
    }

    public func callAsFunction(_ input: DistilBertInput, labels: SequenceLabels? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, c) = (input.batchSize, config.numLabels)
        let out = distilbert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let first = out.lastHiddenState.narrow(axis: 1, start: 0, length: 1).squeeze(axis: 1)  // [B, H]
        let pooled = dropout(preClassifier(first).relu())  // [B, H]
        let logits = classifier(pooled)  // [B, C]
        var loss: Tensor?
        if let labels {
            switch (problemType(for: labels), labels) {
            case (.singleLabelClassification, .classes(let l)):
                try BertLoss.checkClassLabels(l, classes: c, shape: [b], name: "labels", ignoreIndex: -100)
                loss = BertLoss.meanCrossEntropy(logits, l.values)  // []
            case (.regression, .values(let y)):
                let want = c == 1 ? [b] : [b, c]
                guard y.shape == want || (c == 1 && y.shape == [b, 1]) else {
                    throw BertError.invalidInput("regression labels shape \(y.shape) does not match \(want)")
                }
                loss = mseLoss(logits.reshape([b * c]), y.reshape([b * c]))  // []
            case (.multiLabelClassification, .values(let y)):
                guard y.shape == [b, c] else {
                    throw BertError.invalidInput("multi-label targets shape \(y.shape) does not match \([b, c])")
                }
                loss = binaryCrossEntropyWithLogits(logits, y)  // []
            case (let p, _):
                throw BertError.invalidInput("labels of this kind do not fit problem_type \(p.rawValue)")
            }
        }
        return BertHeadOutput(loss: loss, logits: logits, hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
