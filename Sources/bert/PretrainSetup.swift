import ArgumentParser
import BertKit
import Foundation
import TensorCore
import Tokenization

/// The model, vocabulary and data sources of a `bert pretrain` run, built and checked from its flags.
struct PretrainSetup {
    let model: BertForPreTraining
    let vocabularyURL: URL
    let train: any PretrainingBatchSource
    let eval: (any PretrainingBatchSource)?

    init(_ c: PretrainCommand) throws {
        let vocabularyURL: URL
        if let v = c.vocab {
            vocabularyURL = URL(fileURLWithPath: v)
        } else {
            vocabularyURL = URL(fileURLWithPath: c.initFrom!).appendingPathComponent("vocab.txt")
        }
        let vocabulary = try Vocabulary(contentsOf: vocabularyURL)
        let model: BertForPreTraining
        if let initFrom = c.initFrom {
            let directory = try BertModelDirectory(URL(fileURLWithPath: initFrom))
            model = try directory.load(BertForPreTraining.self, seed: c.seed).model
        } else {
            var config: BertConfig
            if let path = c.config {
                config = try BertConfig(contentsOf: URL(fileURLWithPath: path))
            } else {
                config = BertConfig(vocabSize: vocabulary.count, hiddenSize: c.hidden, numHiddenLayers: c.layers,
                                    numAttentionHeads: c.heads, intermediateSize: c.intermediate ?? 4 * c.hidden,
                                    maxPositionEmbeddings: max(512, c.maxSeqLength))
                config.padTokenId = vocabulary.id(for: "[PAD]") ?? 0
            }
            try config.validate()
            var generator = RandomGenerator(seed: c.seed)
            model = BertForPreTraining(config: config, generator: &generator)
        }
        guard vocabulary.count == model.config.vocabSize else {
            throw TrainingError.vocabularyMismatch(
                "\(vocabularyURL.path) has \(vocabulary.count) tokens but the model's vocab_size is \(model.config.vocabSize)")
        }
        guard c.maxSeqLength <= model.config.maxPositionEmbeddings else {
            throw TrainingError.invalidSetting(
                "--max-seq-length \(c.maxSeqLength) exceeds the model's max_position_embeddings \(model.config.maxPositionEmbeddings)")
        }
        model.train()
        self.model = model
        self.vocabularyURL = vocabularyURL
        train = try Self.source(c.data, vocabulary: vocabulary, sequenceLength: c.maxSeqLength)
        eval = try c.evalData.map { try Self.source($0, vocabulary: vocabulary, sequenceLength: c.maxSeqLength) }
    }

    /// A data source for `--data` / `--eval-data`.
    static func source(_ path: String, vocabulary: Vocabulary, sequenceLength: Int) throws -> any PretrainingBatchSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrainingError.invalidData("\(path) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw TrainingError.invalidData("\(path) is a directory; give an instances .jsonl file")
        }
        let source = try InstanceLinesSource(url: URL(fileURLWithPath: path), vocabulary: vocabulary,
                                             sequenceLength: sequenceLength)
        guard source.count > 0 else { throw TrainingError.invalidData("\(path) has no instance") }
        return source
    }
}
