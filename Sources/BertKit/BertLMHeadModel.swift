import TensorCore

/// BERT as a causal language model (`is_decoder`: each position attends to itself and the
/// past). No pooler. Names: `bert.*`, `cls.predictions.*`. Loss: labels shifted left by one
/// (position t predicts label t + 1), mean cross-entropy over labels ≠ -100, as HF.
/// ```swift
/// var config = config; config.isDecoder = true
/// let out = try model(input, labels: ids)   // out.logits [B, T, V]
/// ```
public final class BertLMHeadModel: Module {
    public var isTraining = true
    public let config: BertConfig
    public let bert: BertModel
    public let predictions: BertLMPredictionHead

    /// `config.isDecoder` is forced to true (causal attention).
    public init(config: BertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        var config = config
        config.isDecoder = true
        self.config = config
        bert = BertModel(config: config, addPoolingLayer: false, initialization: initialization, generator: &generator)
        predictions = BertLMPredictionHead(config: config, wordEmbeddings: bert.embeddings.wordEmbeddings.weight,
                                           generator: &generator)
        initialization.apply(to: predictions, config: config, generator: &generator)
    }

    public func namedParameters() -> [(String, Parameter)] {
        prefixed("bert", bert) + prefixed("cls.predictions", predictions)
    }

    /// - Parameter labels: [B, T] (usually the input ids, -100 at padding); shifted internally.
    public func callAsFunction(_ input: BertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, t, h, v) = (input.batchSize, input.sequenceLength, config.hiddenSize, config.vocabSize)
        if let labels { try BertLoss.checkClassLabels(labels, classes: v, shape: [b, t], name: "labels") }
        let out = bert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let logits = predictions(out.lastHiddenState.reshape([b * t, h]))  // [B·T, V]
        let loss = labels.map { l -> Tensor in
            var shifted = [Int](repeating: -100, count: b * t)
            for bi in 0..<b { for ti in 0..<(t - 1) { shifted[bi * t + ti] = l.values[bi * t + ti + 1] } }
            return BertLoss.meanCrossEntropy(logits, shifted)
        }
        return BertHeadOutput(loss: loss, logits: logits.reshape([b, t, v]),  // [B, T, V]
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
