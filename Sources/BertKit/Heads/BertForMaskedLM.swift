import TensorCore

/// BERT with the masked-LM head, full vocabulary logits at every position ([B, T, V]).
/// No pooler. Names: `bert.*`, `cls.predictions.*` (decoder tied to the word embeddings).
/// Loss: mean cross-entropy over labels ≠ -100.
/// ```swift
/// let out = try model(input, labels: labels)   // out.logits [B, T, V]
/// ```
///
/// Reference: `BertForMaskedLM` in transformers v5.23.0, [modeling_bert.py#L908](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L908).
public final class BertForMaskedLM: Module {
    public let config: BertConfig
    public let bert: BertModel
    public let predictions: BertLMPredictionHead

    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: false, initialization: initialization, generator: &generator)
        predictions = BertLMPredictionHead(config: config, wordEmbeddings: bert.embeddings.wordEmbeddings.weight,
                                           generator: &generator)
        initialization.apply(to: predictions, config: config, generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("bert", bert), .init("cls.predictions", predictions)]
    }

    /// - Parameter labels: [B, T] target ids, -100 where no loss is taken.
    public func callAsFunction(_ input: BertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, t, h, v) = (input.batchSize, input.sequenceLength, config.hiddenSize, config.vocabSize)
        if let labels { try BertLoss.checkClassLabels(labels, classes: v, shape: [b, t], name: "labels") }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = predictions(out.lastHiddenState.reshape([b * t, h]))  // [B·T, V]
        let loss = labels.map { BertLoss.meanCrossEntropy(logits, $0.values) }
        return BertHeadOutput(loss: loss, logits: logits.reshape([b, t, v]),  // [B, T, V]
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
