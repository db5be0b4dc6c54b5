import TensorCore

/// Word + token-type (+ absolute position) embeddings → LayerNorm → dropout.
///
/// Port of `BertEmbeddings` in transformers `models/bert/modeling_bert.py`. Parameter names
/// mirror the checkpoint: `word_embeddings.weight`, `position_embeddings.weight`,
/// `token_type_embeddings.weight`, `LayerNorm.{weight,bias}`. Under relative position types the
/// position table exists (checkpoints carry it) but is not used.
/// ```swift
/// let h = embeddings(input)   // [B, T, H]
/// ```
///
/// Reference: `BertEmbeddings` in transformers v5.23.0, [modeling_bert.py#L53](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/bert/modeling_bert.py#L53).
public final class BertEmbeddings: Module {
    public let config: BertConfig
    public let wordEmbeddings: Embedding
    public let positionEmbeddings: Embedding
    public let tokenTypeEmbeddings: Embedding
    public let layerNorm: LayerNorm
    public let dropout: Dropout

    public init(config: BertConfig, generator: inout RandomGenerator) {
        self.config = config
        wordEmbeddings = zeroEmbedding(config.vocabSize, config.hiddenSize, paddingIndex: config.padTokenId)
        positionEmbeddings = zeroEmbedding(config.maxPositionEmbeddings, config.hiddenSize)
        tokenTypeEmbeddings = zeroEmbedding(config.typeVocabSize, config.hiddenSize)
        layerNorm = LayerNorm(dimension: config.hiddenSize, eps: Float(config.layerNormEps))
        dropout = Dropout(probability: Float(config.hiddenDropoutProb), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("word_embeddings", wordEmbeddings), .init("position_embeddings", positionEmbeddings),
             .init("token_type_embeddings", tokenTypeEmbeddings), .init("LayerNorm", layerNorm), .init("dropout", dropout)]
    }

    /// Embeds a validated batch.
    public func callAsFunction(_ input: BertInput) -> Tensor {
        let t = input.sequenceLength
        // Forward time only under BertProfile (the section has no tensor input to bracket).
        return profiled("embeddings", []) { _ in
            var h = wordEmbeddings(input.inputIds)  // [B, T, H]
            h = h + tokenTypeEmbeddings(input.tokenTypeIds)  // [B, T, H]
            if config.positionEmbeddingType == .absolute {
                let positions = IntTensor(Array(0..<t), shape: [1, t])
                h = h + positionEmbeddings(positions)  // [B, T, H] (broadcast over B)
            }
            return dropout(layerNorm(h))  // [B, T, H]
        }
    }
}
