import TensorCore

/// How a newly built BERT model fills its weights.
public enum BertWeightInitialization: Sendable {
    /// Hugging Face `_init_weights`: Linear and Embedding weights ~ normal(0, initializer_range),
    /// biases 0, LayerNorm 1 / 0, the padding row of the word embeddings zeroed; drawn from the
    /// generator in `namedParameters()` order.
    case huggingFace
    /// No random draws: weights and biases 0, LayerNorm weight 1. For weights that a checkpoint
    /// will replace, or to inspect shapes and parameter counts cheaply.
    case zeros

    func apply(to module: any Module, config: BertConfig, generator: inout RandomGenerator) {
        if case .huggingFace = self { initializeBertWeights(module, config: config, generator: &generator) }
    }
}

/// A Linear layer with zero weight and bias (filled by the model's initialisation or a checkpoint).
func zeroLinear(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) -> Linear {
    Linear(weight: Parameter(Tensor.zeros([outFeatures, inFeatures]), name: "weight"),
           bias: bias ? Parameter(Tensor.zeros([outFeatures]), name: "bias") : nil)
}

/// An embedding table of zeros (filled by the model's initialisation or a checkpoint).
func zeroEmbedding(_ count: Int, _ dimension: Int, paddingIndex: Int? = nil) -> Embedding {
    Embedding(weight: Parameter(Tensor.zeros([count, dimension]), name: "weight"), paddingIndex: paddingIndex)
}

/// Hugging Face `_init_weights` for BERT: Linear and Embedding weights ~ normal(0, range),
/// biases 0 (including `cls.predictions.bias`), LayerNorm weight 1 / bias 0, the padding row of
/// the word embeddings zeroed. Parameters are visited in `namedParameters()` order, so a given
/// generator state always gives the same model. `only`, when given, restricts it to those names
/// (the weights a checkpoint did not provide).
func initializeBertWeights(_ module: any Module, config: BertConfig, generator: inout RandomGenerator,
                           only: Set<String>? = nil) {
    let std = Float(config.initializerRange)
    for (name, p) in module.namedParameters() where only?.contains(name) ?? true {
        let shape = p.value.shape
        if name.hasSuffix("LayerNorm.weight") {
            p.value = Tensor.ones(shape)
        } else if name.hasSuffix("bias") {
            p.value = Tensor.zeros(shape)
        } else {
            var w = Tensor.normal(shape, mean: 0, std: std, generator: &generator)
            if name.hasSuffix("word_embeddings.weight"), shape.count == 2,
               (0..<shape[0]).contains(config.padTokenId) {
                let row = config.padTokenId * shape[1]
                w.withUnsafeMutableBufferPointer { values in
                    for j in 0..<shape[1] { values[row + j] = 0 }
                }
            }
            p.value = w
        }
    }
}

extension Module {
    /// Number of distinct trainable scalars (a tied parameter counts once).
    public var parameterCount: Int {
        var seen = Set<ObjectIdentifier>()
        var n = 0
        for (_, p) in namedParameters() where seen.insert(ObjectIdentifier(p)).inserted { n += p.value.count }
        return n
    }
}
