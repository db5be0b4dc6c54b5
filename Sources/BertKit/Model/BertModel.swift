import TensorCore

/// What `BertModel` returns.
public struct BertModelOutput: @unchecked Sendable {
    /// Output of the last layer, [B, T, H].
    public var lastHiddenState: Tensor
    /// tanh(dense(token 0)), [B, H]; nil when the model has no pooler.
    public var poolerOutput: Tensor?
    /// Embedding output then every layer's output (L + 1 tensors [B, T, H]) when requested.
    public var hiddenStates: [Tensor]?
    /// Attention probabilities of every layer ([B, A, T, T] each) when requested.
    public var attentions: [Tensor]?
}

/// The BERT encoder: embeddings, `numHiddenLayers` transformer blocks and an optional pooler.
///
/// Port of `BertModel` (transformers `models/bert/modeling_bert.py`). Parameter names are the
/// Hugging Face keys without the `bert.` prefix (`embeddings.word_embeddings.weight`, …).
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let model = BertModel(config: .base, generator: &rng)     // HF initialisation
/// let out = try model(inputIds: ids, attentionMask: mask)  // out.lastHiddenState [B, T, H]
/// ```
///
/// Reference: `BertModel` in transformers v5.23.0, [modeling_bert.py#L594](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L594).
public final class BertModel: Module {
    public let config: BertConfig
    public let embeddings: BertEmbeddings
    public let encoder: BertEncoder
    public let pooler: BertPooler?
    /// When true, the layers skip the padding positions of a padded batch (``TokenPacking``):
    /// the real tokens get the values of the padded computation (to float rounding), while
    /// `lastHiddenState` and `hiddenStates` hold zeros at padding positions instead of
    /// Hugging Face's values there (which no head reads: classifiers read token 0, token heads
    /// and pooling read real tokens). Off by default so every output equals transformers';
    /// fine-tuning and prediction turn it on. Applies to absolute positions without a causal mask.
    ///
    /// ```swift
    /// classifier.bert.skipsPaddingPositions = true   // ≈ 3× less work on SST-2-style batches
    /// ```
    public var skipsPaddingPositions = false

    /// Builds a model, by default randomly initialised (HF scheme: normal(0, initializer_range)
    /// weights, zero biases, padding row zeroed, LayerNorm 1/0), deterministic for a given
    /// generator; `.zeros` skips the random draws (for weights that a checkpoint will replace).
    /// The generator also seeds each dropout layer's own stream.
    public init(config: BertConfig, addPoolingLayer: Bool = true,
                initialization: BertWeightInitialization = .huggingFace, generator: inout RandomGenerator) {
        self.config = config
        embeddings = BertEmbeddings(config: config, generator: &generator)
        encoder = BertEncoder(config: config, generator: &generator)
        pooler = addPoolingLayer ? BertPooler(config: config, generator: &generator) : nil
        initialization.apply(to: self, config: config, generator: &generator)
        packAttentionProjections(in: self)
    }

    public var children: [ModuleChild] {
        [.init("embeddings", embeddings), .init("encoder", encoder), .init("pooler", pooler)]
    }

    /// Runs the encoder on a validated batch.
    /// - Parameters:
    ///   - outputHiddenStates: also return the embedding output and every layer's output.
    ///   - outputAttentions: also return every layer's attention probabilities.
    public func callAsFunction(_ input: BertInput, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) -> BertModelOutput {
        let mask = input.extendedAttentionMask(causal: config.isDecoder)  // [B, 1, 1|T, T]
        let h0 = embeddings(input)  // [B, T, H]
        let packing = skipsPaddingPositions && !config.isDecoder && config.positionEmbeddingType == .absolute
            ? TokenPacking(attentionMask: input.attentionMask) : nil
        var (last, states, attentions) = encoder(packing.map { $0.pack(h0) } ?? h0, mask: mask,
                                                 keepHiddenStates: outputHiddenStates, keepAttentions: outputAttentions,
                                                 packing: packing)  // [B, T, H] or [N, H]
        if let packing {
            last = packing.unpack(last)  // [B, T, H]
            states = states.map { packing.unpack($0) }  // [B, T, H] each
        }
        return BertModelOutput(
            lastHiddenState: last,
            poolerOutput: pooler.map { $0(last) },  // [B, H]
            hiddenStates: outputHiddenStates ? [h0] + states : nil,
            attentions: outputAttentions ? attentions : nil)
    }

    /// Validates the raw inputs (ids in the vocabulary, length ≤ max positions, mask and type-id
    /// shapes equal to the ids) and runs the encoder; throws `BertError.invalidInput` otherwise.
    public func callAsFunction(inputIds: IntTensor, attentionMask: IntTensor? = nil, tokenTypeIds: IntTensor? = nil,
                               outputHiddenStates: Bool = false, outputAttentions: Bool = false) throws
        -> BertModelOutput
    {
        let input = try BertInput(inputIds: inputIds, attentionMask: attentionMask, tokenTypeIds: tokenTypeIds,
                                  config: config)
        return self(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
    }
}
