import TensorCore

/// Masks drawn fresh for every batch (RoBERTa / Hugging Face `DataCollatorForLanguageModeling`
/// style) over instances prepared once without masks (`bert pretraining-data --dynamic-masking`).
///
/// Each token other than [CLS], [SEP] and [PAD] is selected with probability `probability`
/// (independently; with `wholeWord`, each word — a piece and the "##" pieces after it — is
/// selected as a unit). A selected token becomes [MASK] with probability `maskFraction`, a
/// random vocabulary word with probability `randomFraction`, else stays; its label is the
/// original id. Everything else gets no label (-100 in ``PretrainingBatch/mlmLabels``).
///
/// The masker is a value whose whole state — settings and the random stream — is `Codable`: save
/// it with a training checkpoint and the resumed run draws the same masks.
///
/// ```swift
/// var masker = DynamicMasker(seed: 42, probability: 0.15, wholeWord: true)
/// let batch = try masker.batch(from: dataset, indices: [0, 1, 2, 3], vocabulary: vocab)
/// let state = try JSONEncoder().encode(masker)           // into the checkpoint
/// ```
public struct DynamicMasker: Codable, Sendable, Equatable {
    public var probability: Double
    public var wholeWord: Bool
    public var maskFraction: Double
    public var randomFraction: Double
    /// The random stream (xoshiro256**), advanced by every batch.
    public var random: RandomGenerator

    public init(seed: UInt64, probability: Double = 0.15, wholeWord: Bool = false,
                maskFraction: Double = 0.8, randomFraction: Double = 0.1) {
        self.probability = probability
        self.wholeWord = wholeWord
        self.maskFraction = maskFraction
        self.randomFraction = randomFraction
        random = RandomGenerator(seed: seed)
    }

    /// `instance` with fresh masks (its own masks, if any, are replaced: the tokens are taken as
    /// the originals).
    public mutating func mask(_ instance: TrainingInstance, vocabulary: PretrainingVocabulary) -> TrainingInstance {
        var out = instance
        var positions: [Int32] = [], labels: [Int32] = []
        var selectedWord = false
        for (k, id) in instance.tokens.enumerated() {
            if id == vocabulary.clsId || id == vocabulary.sepId || id == vocabulary.padId {
                selectedWord = false
                continue
            }
            let continues = wholeWord && k > 0 && Int(id) < vocabulary.isContinuation.count
                && vocabulary.isContinuation[Int(id)] && !isSpecial(instance.tokens[k - 1], vocabulary)
            let selected = continues ? selectedWord : random.nextDouble() < probability
            selectedWord = selected
            guard selected else { continue }
            positions.append(Int32(k))
            labels.append(id)
            let u = random.nextDouble()
            if u < maskFraction {
                out.tokens[k] = vocabulary.maskId
            } else if u < maskFraction + randomFraction {
                let words = vocabulary.randomWordIds
                out.tokens[k] = words[Int(random.next() % UInt64(words.count))]
            }
        }
        out.maskedPositions = positions
        out.maskedLabels = labels
        return out
    }

    private func isSpecial(_ id: Int32, _ vocabulary: PretrainingVocabulary) -> Bool {
        id == vocabulary.clsId || id == vocabulary.sepId || id == vocabulary.padId
    }

    /// A padded batch of `instances` with fresh masks.
    public mutating func batch(_ instances: [TrainingInstance], vocabulary: PretrainingVocabulary,
                               sequenceLength: Int, maxPredictions: Int = 0) -> PretrainingBatch {
        let masked = instances.map { mask($0, vocabulary: vocabulary) }
        return PretrainingBatch(instances: masked, sequenceLength: sequenceLength, maxPredictions: maxPredictions,
                                padId: vocabulary.padId)
    }

    /// A padded batch of the data set's instances at `indices` with fresh masks.
    public mutating func batch(from dataset: PretrainingDataset, indices: [Int], vocabulary: PretrainingVocabulary,
                               sequenceLength: Int? = nil) throws -> PretrainingBatch {
        batch(try dataset.instances(at: indices), vocabulary: vocabulary,
              sequenceLength: sequenceLength ?? dataset.maxSeqLength)
    }
}
