import TensorCore

/// Hugging Face `_init_weights` for BERT: Linear and Embedding weights ~ normal(0, range),
/// biases 0 (including `cls.predictions.bias`), LayerNorm weight 1 / bias 0, the padding row of
/// the word embeddings zeroed. Parameters are visited in `namedParameters()` order, so a given
/// generator state always gives the same model.
func initializeBertWeights(_ module: any Module, config: BertConfig, generator: inout RandomGenerator) {
    let std = Float(config.initializerRange)
    for (name, p) in module.namedParameters() {
        let shape = p.value.shape
        if name.hasSuffix("LayerNorm.weight") {
            p.value = Tensor.ones(shape)
        } else if name.hasSuffix("bias") {
            p.value = Tensor.zeros(shape)
        } else {
            var w = Tensor.normal(shape, mean: 0, std: std, generator: &generator)
            if name.hasSuffix("word_embeddings.weight"), shape.count == 2,
               (0..<shape[0]).contains(config.padTokenId) {
                var values = w.toArray()
                for j in 0..<shape[1] { values[config.padTokenId * shape[1] + j] = 0 }
                w = Tensor(values, shape: shape)
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
