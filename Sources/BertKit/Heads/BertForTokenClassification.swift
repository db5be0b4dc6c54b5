import TensorCore

/// BERT with a per-token classifier (e.g. NER): sequence output → dropout → Linear(H, numLabels).
/// No pooler. Loss: mean cross-entropy over labels ≠ -100. Names: `bert.*`, `classifier.*`.
/// ```swift
/// let out = try model(input, labels: tags)   // out.logits [B, T, C]
/// ```
///
/// Reference: `BertForTokenClassification` in transformers v5.23.0, [modeling_bert.py#L1234](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L1234).
public final class BertForTokenClassification: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let dropout: Dropout
    public let classifier: Linear

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: false, initialization: initialization, generator: &generator)
        dropout = Dropout(probability: Float(config.effectiveClassifierDropout), generator: &generator)
        classifier = zeroLinear(config.hiddenSize, config.numLabels)
        initialization.apply(to: classifier, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("dropout", dropout), .init("classifier", classifier)]
    }

    /// - Parameter labels: [B, T] class per token, -100 where ignored (padding, sub-words).
    public func callAsFunction(_ input: BertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, t, h, c) = (input.batchSize, input.sequenceLength, config.hiddenSize, config.numLabels)
        if let labels { try BertLoss.checkClassLabels(labels, classes: c, shape: [b, t], name: "labels") }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = classifier(dropout(out.lastHiddenState.reshape([b * t, h])))  // [B·T, C]
        return BertHeadOutput(loss: labels.map { BertLoss.meanCrossEntropy(logits, $0.values) },
                              logits: logits.reshape([b, t, c]),  // [B, T, C]
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
