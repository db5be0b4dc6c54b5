import Foundation
import TensorCore

/// Word + position embeddings → LayerNorm (eps 1e-12) → dropout; DistilBERT has no token types.
///
/// Names mirror the checkpoint: `word_embeddings.weight`, `position_embeddings.weight`,
/// `LayerNorm.{weight,bias}`. With `sinusoidal_pos_embds` the position table starts as HF's fixed
/// sinusoids (``sinusoidalTable(positions:dimension:)``); transformers 5.23 still trains it, so
/// it stays a trainable parameter here too.
/// ```swift
/// let h = embeddings(input)   // [B, T, H]
/// ```
///
/// Reference: `Embeddings` in transformers v5.23.0, [modeling_distilbert.py#L81](https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/models/distilbert/modeling_distilbert.py#L81).
public final class DistilBertEmbeddings: Module {
    public let config: DistilBertConfig
    public let wordEmbeddings: Embedding
    public let positionEmbeddings: Embedding
    public let layerNorm: LayerNorm
    public let dropout: Dropout

    public init(config: DistilBertConfig, generator: inout RandomGenerator) {
        self.config = config
        wordEmbeddings = zeroEmbedding(config.vocabSize, config.dim, paddingIndex: config.padTokenId)
        positionEmbeddings = zeroEmbedding(config.maxPositionEmbeddings, config.dim)
        layerNorm = LayerNorm(dimension: config.dim, eps: DistilBertConfig.layerNormEps)
        dropout = Dropout(probability: Float(config.dropout), generator: &generator)
    }

    public var children: [ModuleChild] {
        [.init("word_embeddings", wordEmbeddings), .init("position_embeddings", positionEmbeddings),
         .init("LayerNorm", layerNorm), .init("dropout", dropout)]
    }

    /// Embeds a validated batch.
    public func callAsFunction(_ input: DistilBertInput) -> Tensor {
        let t = input.sequenceLength
        let positions = IntTensor(Array(0..<t), shape: [1, t])
        let h = wordEmbeddings(input.inputIds) + positionEmbeddings(positions)  // [B, T, H] (positions broadcast over B)
        return dropout(layerNorm(h))  // [B, T, H]
    }

    /// HF's `create_sinusoidal_embeddings`: row p, column j holds sin(p / 10000^(2⌊j/2⌋/H)) for
    /// even j and the cosine of it for odd j (computed in Double, stored as Float).
    public static func sinusoidalTable(positions: Int, dimension: Int) -> Tensor {
        var values = [Float](repeating: 0, count: positions * dimension)
        for p in 0..<positions {
            for j in 0..<dimension {
                let angle = Double(p) / pow(10000, Double(2 * (j / 2)) / Double(dimension))
                values[p * dimension + j] = Float(j % 2 == 0 ? sin(angle) : cos(angle))
            }
        }
        return Tensor(values, shape: [positions, dimension])  // [P, H]
    }
}
