import TensorCore

/// What `DistilBertModel` returns.
public struct DistilBertModelOutput: @unchecked Sendable {
    /// Output of the last block, [B, T, H].
    public var lastHiddenState: Tensor
    /// Embedding output then every block's output (L + 1 tensors [B, T, H]) when requested.
    public var hiddenStates: [Tensor]?
    /// Attention probabilities of every block ([B, A, T, T] each) when requested.
    public var attentions: [Tensor]?
}

/// The DistilBERT encoder: embeddings (word + position) and `nLayers` transformer blocks; no
/// token types and no pooler.
///
/// Parameter names are the Hugging Face keys without the `distilbert.` prefix
/// (`embeddings.word_embeddings.weight`, `transformer.layer.0.attention.q_lin.weight`, …);
/// ``DistilBertCheckpoint`` loads checkpoints with or without the prefix.
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let model = DistilBertModel(config: config, generator: &rng)          // HF initialisation
/// try DistilBertCheckpoint.load(contentsOf: weightsURL, into: model)
/// let out = try model(inputIds: ids, attentionMask: mask)               // out.lastHiddenState [B, T, H]
/// ```
///
/// Reference: `DistilBertModel` in transformers v5.23.0, [modeling_distilbert.py#L317](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L317).
public final class DistilBertModel: Module {
    public let config: DistilBertConfig
    public let embeddings: DistilBertEmbeddings
    public let transformer: DistilBertTransformer
    /// When true, the blocks skip the padding positions of a padded batch (``TokenPacking``;
    /// the rules of ``BertModel/skipsPaddingPositions``): real tokens as before, zeros at padding.
    ///
    /// ```swift
    /// classifier.distilbert.skipsPaddingPositions = true
    /// ```
    public var skipsPaddingPositions = false

    /// Builds a model, by default randomly initialised as HF does (normal(0, initializer_range)
    /// weights, zero biases, padding row zeroed, LayerNorm 1/0, the sinusoidal position table
    /// when the config asks for it); `.zeros` skips the random draws. The generator also seeds
    /// each dropout layer's own stream.
    public init(config: DistilBertConfig, initialization: BertWeightInitialization = .huggingFace,
                generator: inout RandomGenerator) {
        self.config = config
        embeddings = DistilBertEmbeddings(config: config, generator: &generator)
        transformer = DistilBertTransformer(config: config, generator: &generator)
        if case .huggingFace = initialization {
            initializeDistilBertWeights(self, config: config, generator: &generator)
        }
        if config.sinusoidalPosEmbds {
            embeddings.positionEmbeddings.weight.value =
                DistilBertEmbeddings.sinusoidalTable(positions: config.maxPositionEmbeddings, dimension: config.dim)  // [P, H]
        }
    }

    public var children: [ModuleChild] {
        [.init("embeddings", embeddings), .init("transformer", transformer)]
    }

    /// Runs the encoder on a validated batch.
    /// - Parameters:
    ///   - outputHiddenStates: also return the embedding output and every block's output.
    ///   - outputAttentions: also return every block's attention probabilities.
    public func callAsFunction(_ input: DistilBertInput, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) -> DistilBertModelOutput {
        let mask = input.extendedAttentionMask()  // [B, 1, 1, T]
        let h0 = embeddings(input)  // [B, T, H]
        let packing = skipsPaddingPositions ? TokenPacking(attentionMask: input.attentionMask) : nil
        var (last, states, attentions) = transformer(packing.map { $0.pack(h0) } ?? h0, mask: mask,
                                                     keepHiddenStates: outputHiddenStates, keepAttentions: outputAttentions,
                                                     packing: packing)  // [B, T, H] or [N, H]
        if let packing {
            last = packing.unpack(last)  // [B, T, H]
            states = states.map { packing.unpack($0) }  // [B, T, H] each
        }
        return DistilBertModelOutput(lastHiddenState: last, hiddenStates: outputHiddenStates ? [h0] + states : nil,
                                     attentions: outputAttentions ? attentions : nil)
    }

    /// Validates the raw inputs (ids in the vocabulary, length ≤ max positions, mask shape and
    /// values) and runs the encoder; throws `BertError.invalidInput` otherwise.
    public func callAsFunction(inputIds: IntTensor, attentionMask: IntTensor? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) throws -> DistilBertModelOutput {
        let input = try DistilBertInput(inputIds: inputIds, attentionMask: attentionMask, config: config)
        return self(input, outputHiddenStates: outputHiddenStates, outputAttentions: outputAttentions)
    }
}

/// HF `_init_weights` for DistilBERT: Linear and Embedding weights ~ normal(0, initializer_range),
/// biases 0, LayerNorm weight 1 / bias 0, the padding row of the word embeddings zeroed; drawn in
/// `namedParameters()` order. (The sinusoidal table, when asked for, is written afterwards.)
func initializeDistilBertWeights(_ module: any Module, config: DistilBertConfig, generator: inout RandomGenerator,
                                  only: Set<String>? = nil) {
    let std = Float(config.initializerRange)
    for (name, p) in module.namedParameters() where only?.contains(name) ?? true {
        let shape = p.value.shape
        if name.hasSuffix("LayerNorm.weight") || name.hasSuffix("layer_norm.weight") {
            p.value = Tensor.ones(shape)
        } else if name.hasSuffix("bias") {
            p.value = Tensor.zeros(shape)
        } else {
            var w = Tensor.normal(shape, mean: 0, std: std, generator: &generator)  // [rows, columns]
            if name.hasSuffix("word_embeddings.weight"), shape.count == 2, (0..<shape[0]).contains(config.padTokenId) {
                let row = config.padTokenId * shape[1]
                w.withUnsafeMutableBufferPointer { values in
                    for j in 0..<shape[1] { values[row + j] = 0 }
                }
            }
            p.value = w
        }
    }
}
