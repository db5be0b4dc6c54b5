import TensorCore

/// MLM transform: dense(H→H) → activation → LayerNorm. Names `dense`, `LayerNorm`.
///
/// Reference: `BertPredictionHeadTransform` in transformers v5.23.0, [modeling_bert.py#L466](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L466).
public final class BertPredictionHeadTransform: Module {
    public let dense: Linear
    public let activation: Activation
    public let layerNorm: LayerNorm

    public init(config: BertConfig, generator: inout RandomGenerator) {
        dense = zeroLinear(config.hiddenSize, config.hiddenSize)
        activation = config.hiddenAct
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
    }

    public var children: [ModuleChild] {
        [.init("dense", dense), .init("LayerNorm", layerNorm)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layerNorm(activation.apply(dense(x)))  // [N, H]
    }
}

/// MLM head: transform, then a decoder whose weight **is** the word-embedding parameter (tied,
/// [V, H]) plus its own bias `bias` [V] (HF `cls.predictions.bias`, alias `decoder.bias`).
///
/// `namedParameters()` lists `transform.*` and `bias`; the tied weight is listed once, under the
/// embeddings, as `torch.nn.Module.named_parameters()` does.
///
/// Reference: `BertLMPredictionHead` in transformers v5.23.0, [modeling_bert.py#L483](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L483).
public final class BertLMPredictionHead: Module {
    public let transform: BertPredictionHeadTransform
    /// The word-embedding parameter, shared.
    public let decoderWeight: Parameter
    public let bias: Parameter

    public init(config: BertConfig, wordEmbeddings: Parameter, generator: inout RandomGenerator) {
        transform = BertPredictionHeadTransform(config: config, generator: &generator)
        decoderWeight = wordEmbeddings
        bias = Parameter(Tensor.zeros([config.vocabSize]), name: "bias")
    }

    public var children: [ModuleChild] {
        [.init("transform", transform), .init("bias", bias)]  // the tied decoder weight is named under the embeddings
    }

    /// - Parameter hidden: [N, H] (any leading shape). - Returns: vocabulary logits [N, V].
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        profiled("mlm head (masked rows)", hidden) { x in
            Tensor.linear(transform(x), weight: decoderWeight.value, bias: bias.value)  // [N, V]
        }
    }
}
