import TensorCore

/// Token classification (NER) on DistilBERT: dropout(dropout) on every token's hidden state →
/// Linear(H, numLabels). Loss: mean cross-entropy over labels ≠ -100. Names: `distilbert.*`,
/// `classifier.*`.
/// ```swift
/// let out = try model(input, labels: tags)   // logits [B, T, C]; tags [B, T], -100 = ignored
/// ```
///
/// Reference: `DistilBertForTokenClassification` in transformers v5.23.0, [modeling_distilbert.py#L722](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L722).
public final class DistilBertForTokenClassification: Module {
    public let config: DistilBertConfig
    public let distilbert: DistilBertModel
    public let dropout: Dropout
    public let classifier: Linear

    public init(config: DistilBertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        distilbert = DistilBertModel(config: config, initialization: initialization, generator: &generator)
        dropout = Dropout(probability: Float(config.dropout), generator: &generator)
        classifier = zeroLinear(config.dim, config.numLabels)
        if case .huggingFace = initialization {
            initializeDistilBertWeights(classifier, config: config, generator: &generator)
        }
    }

    public var children: [ModuleChild] {
        [.init("distilbert", distilbert), .init("dropout", dropout), .init("classifier", classifier)]
    }

    /// - Parameters: labels: [B, T] class ids, -100 where no loss is taken.
    public func callAsFunction(_ input: DistilBertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, t, h, c) = (input.batchSize, input.sequenceLength, config.dim, config.numLabels)
        if let labels { try BertLoss.checkClassLabels(labels, classes: c, shape: [b, t], name: "labels") }
        let out = distilbert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = classifier(dropout(out.lastHiddenState.reshape([b * t, h])))  // [B·T, C]
        return BertHeadOutput(loss: labels.map { BertLoss.meanCrossEntropy(logits, $0.values) },  // []
                              logits: logits.reshape([b, t, c]),  // [B, T, C]
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
