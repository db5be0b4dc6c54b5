import TensorCore

/// Labels for `BertForSequenceClassification`: class indices or real values.
public enum SequenceLabels: @unchecked Sendable {
    /// One class index per example, [B] (single-label classification).
    case classes(IntTensor)
    /// Regression targets [B] (num_labels 1) or [B, C], or multi-hot targets [B, C] (multi-label).
    case values(Tensor)
}

/// BERT with a classifier on the pooled output: dropout → Linear(H, numLabels).
///
/// The loss follows HF: `problem_type` from the config, or if unset, regression (MSE) when
/// `numLabels == 1`, single-label cross-entropy for integer labels, otherwise multi-label
/// BCE-with-logits. Names: `bert.*`, `classifier.*`.
/// ```swift
/// let out = try model(input, labels: .classes(IntTensor([2, 0], shape: [2])))   // logits [B, C]
/// ```
///
/// Reference: `BertForSequenceClassification` in transformers v5.23.0, [modeling_bert.py#L1065](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L1065).
public final class BertForSequenceClassification: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let dropout: Dropout
    public let classifier: Linear

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: true, initialization: initialization, generator: &generator)
        dropout = Dropout(probability: Float(config.effectiveClassifierDropout), generator: &generator)
        classifier = zeroLinear(config.hiddenSize, config.numLabels)
        initialization.apply(to: classifier, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("dropout", dropout), .init("classifier", classifier)]
    }

    /// The problem type the loss will use for these labels (HF's rule).
    public func problemType(for labels: SequenceLabels) -> ProblemType {
        if let p = config.problemType { return p }
        if config.numLabels == 1 { return .regression }
        if case .classes = labels { return .singleLabelClassification }
        return .multiLabelClassification
    }

    public func callAsFunction(_ input: BertInput, labels: SequenceLabels? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, c) = (input.batchSize, config.numLabels)
        var loss: Tensor?
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = classifier(dropout(out.poolerOutput!))  // [B, C]
        if let labels {
            switch (problemType(for: labels), labels) {
            case (.singleLabelClassification, .classes(let l)):
                try BertLoss.checkClassLabels(l, classes: c, shape: [b], name: "labels", ignoreIndex: -100)
                loss = BertLoss.meanCrossEntropy(logits, l.values)
            case (.regression, .values(let y)):
                let want = c == 1 ? [b] : [b, c]
                guard y.shape == want || (c == 1 && y.shape == [b, 1]) else {
                    throw BertError.invalidInput("regression labels shape \(y.shape) does not match \(want)")
                }
                loss = mseLoss(logits.reshape([b * c]), y.reshape([b * c]))
            case (.multiLabelClassification, .values(let y)):
                guard y.shape == [b, c] else {
                    throw BertError.invalidInput("multi-label targets shape \(y.shape) does not match \([b, c])")
                }
                loss = binaryCrossEntropyWithLogits(logits, y)
            case (let p, _):
                throw BertError.invalidInput("labels of this kind do not fit problem_type \(p.rawValue)")
            }
        }
        return BertHeadOutput(loss: loss, logits: logits, hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
