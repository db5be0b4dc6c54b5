import TensorCore

/// DistilBERT with its masked-LM head, full vocabulary logits at every position ([B, T, V]):
/// vocab_transform (H→H) → activation (the config's) → vocab_layer_norm (eps 1e-12) →
/// vocab_projector (H→V, weight tied to the word embeddings, own bias). Loss: mean
/// cross-entropy over labels ≠ -100. Names: `distilbert.*`, `vocab_transform.*`,
/// `vocab_layer_norm.*`, `vocab_projector.bias` (the tied weight is listed once, as
/// `distilbert.embeddings.word_embeddings.weight`, and a checkpoint's `vocab_projector.weight`
/// is skipped by ``DistilBertCheckpoint``, as `save_pretrained` leaves it out).
/// ```swift
/// let out = try model(input, labels: labels)   // out.logits [B, T, V]
/// ```
///
/// Reference: `DistilBertForMaskedLM` in transformers v5.23.0, [modeling_distilbert.py#L428](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L428).
public final class DistilBertForMaskedLM: Module {
    public let config: DistilBertConfig
    public let distilbert: DistilBertModel
    public let vocabTransform: Linear
    public let vocabLayerNorm: LayerNorm
    /// Its weight is the word-embedding parameter itself.
    public let vocabProjector: Linear

    public init(config: DistilBertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        distilbert = DistilBertModel(config: config, initialization: initialization, generator: &generator)
        vocabTransform = zeroLinear(config.dim, config.dim)
        vocabLayerNorm = LayerNorm(dimension: config.dim, eps: DistilBertConfig.layerNormEps)
        vocabProjector = Linear(weight: distilbert.embeddings.wordEmbeddings.weight,
                                bias: Parameter(Tensor.zeros([config.vocabSize]), name: "bias"))
        if case .huggingFace = initialization {
            initializeDistilBertWeights(vocabTransform, config: config, generator: &generator)
        }
    }

    public var children: [ModuleChild] {
        [.init("distilbert", distilbert), .init("vocab_transform", vocabTransform),
         .init("vocab_layer_norm", vocabLayerNorm), .init("vocab_projector", vocabProjector)]
    }

    /// - Parameter labels: [B, T] target ids, -100 where no loss is taken.
    public func callAsFunction(_ input: DistilBertInput, labels: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> BertHeadOutput
    {
        let (b, t, h, v) = (input.batchSize, input.sequenceLength, config.dim, config.vocabSize)
        if let labels { try BertLoss.checkClassLabels(labels, classes: v, shape: [b, t], name: "labels") }
        let out = distilbert(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
        let x = config.activation.apply(vocabTransform(out.lastHiddenState.reshape([b * t, h])))  // [B·T, H]
        let logits = vocabProjector(vocabLayerNorm(x))  // [B·T, V]
        let loss = labels.map { BertLoss.meanCrossEntropy(logits, $0.values) }  // []
        return BertHeadOutput(loss: loss, logits: logits.reshape([b, t, v]),  // [B, T, V]
                              hiddenStates: out.hiddenStates, attentions: out.attentions)
    }
}
