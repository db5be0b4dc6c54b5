import TensorCore

/// Multiple choice (SWAG, RACE): each of the C candidates is encoded, pooled → dropout →
/// Linear(H, 1), and the C scores compete in a softmax. Names: `bert.*`, `classifier.*`.
/// ```swift
/// let out = try model(inputIds: ids /* [B, C, T] */, attentionMask: mask, labels: answers)  // logits [B, C]
/// ```
///
/// Reference: `BertForMultipleChoice` in transformers v5.23.0, [modeling_bert.py#L1140](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L1140).
public final class BertForMultipleChoice: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let dropout: Dropout
    public let classifier: Linear

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: true, initialization: initialization, generator: &generator)
        dropout = Dropout(probability: Float(config.effectiveClassifierDropout), generator: &generator)
        classifier = zeroLinear(config.hiddenSize, 1)
        initialization.apply(to: classifier, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("dropout", dropout), .init("classifier", classifier)]
    }

    /// - Parameters: inputIds / attentionMask / tokenTypeIds [B, C, T]; labels [B] (correct choice).
    public func callAsFunction(inputIds: IntTensor, attentionMask: IntTensor? = nil, tokenTypeIds: IntTensor? = nil,
                               labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        guard inputIds.shape.count == 3 else {
            throw BertError.invalidInput("multiple-choice input_ids must be [batch, choices, length], got \(inputIds.shape)")
        }
        let (b, c, t) = (inputIds.shape[0], inputIds.shape[1], inputIds.shape[2])
        func flat(_ x: IntTensor?, _ name: String) throws -> IntTensor? {
            guard let x else { return nil }
            guard x.shape == inputIds.shape else {
                throw BertError.invalidInput("\(name) shape \(x.shape) does not match input_ids shape \(inputIds.shape)")
            }
            return IntTensor(x.values, shape: [b * c, t])
        }
        let input = try BertInput(inputIds: IntTensor(inputIds.values, shape: [b * c, t]),
                                  attentionMask: flat(attentionMask, "attention_mask"),
                                  tokenTypeIds: flat(tokenTypeIds, "token_type_ids"), config: config)
        if let labels { try BertLoss.checkClassLabels(labels, classes: c, shape: [b], name: "labels") }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = classifier(dropout(out.poolerOutput!)).reshape([b, c])  // [B, C]
        return BertHeadOutput(loss: labels.map { BertLoss.meanCrossEntropy(logits, $0.values) }, logits: logits,
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
