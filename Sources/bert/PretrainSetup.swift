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
        let tables = try PretrainingVocabulary(vocabulary: vocabulary, source: vocabularyURL.path)
        let data = DataPaths(vocabulary: vocabulary, tables: tables, vocabularyPath: vocabularyURL.path,
                             sequenceLength: c.maxSeqLength, wholeWordMask: c.wholeWordMask)
        train = try data.source(c.data, seed: c.seed, heldOut: false)
        eval = try c.evalData.map { try data.source($0, seed: c.seed, heldOut: true) }
    }
}

/// What `--data` / `--eval-data` (and `eval-pretrain --data`) may name, opened as a batch source:
/// an instances `.jsonl`, one `.bkpt` shard or a directory of them (`bert pretraining-data`; a
/// vocabulary other than the one they were prepared with is refused), or raw text (a file or a
/// directory of files) prepared in memory when the run starts.
///
/// Masks: statically masked instances keep their masks; shards prepared with `--dynamic-masking`
/// and raw training text get fresh masks every batch (a ``DynamicMasker`` seeded with `--seed`,
/// saved in every checkpoint). Held-out data always has fixed masks (raw held-out text is masked
/// once with seed 12345), so perplexity figures are reproducible.
struct DataPaths {
    let vocabulary: Vocabulary
    let tables: PretrainingVocabulary
    let vocabularyPath: String
    let sequenceLength: Int
    var wholeWordMask = false

    /// The seed of the fixed masks of raw held-out text.
    static let heldOutSeed = 12345

    enum Kind: String { case jsonl, shards, text }

    static func kind(_ path: String) throws -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrainingError.invalidData("\(path) does not exist")
        }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.contains { $0.hasSuffix("." + ShardFormat.fileExtension) && !$0.hasPrefix(".") } ? .shards : .text
        }
        if path.hasSuffix(".jsonl") { return .jsonl }
        if path.hasSuffix("." + ShardFormat.fileExtension) { return .shards }
        return .text
    }

    func source(_ path: String, seed: UInt64, heldOut: Bool) throws -> any PretrainingBatchSource {
        let source: any PretrainingBatchSource
        switch try Self.kind(path) {
        case .jsonl:
            source = try InstanceLinesSource(url: URL(fileURLWithPath: path), vocabulary: vocabulary,
                                             sequenceLength: sequenceLength)
        case .shards:
            let dataset = !path.hasSuffix("." + ShardFormat.fileExtension) ? try PretrainingDataset(directory: path)
                : try PretrainingDataset(shards: [try ShardReader(path: path)])
            dataset.padId = tables.padId
            try VocabularyChecksum.require(VocabularyChecksum.of(vocabulary), matches: dataset, vocabularyPath: vocabularyPath)
            if heldOut && !dataset.staticallyMasked {
                throw TrainingError.invalidData("\(path) has no fixed masks (prepared with --dynamic-masking); held-out data needs them for reproducible figures")
            }
            source = try InstanceDatasetSource(
                store: .shards(dataset), vocabulary: tables, sequenceLength: sequenceLength,
                masker: dataset.staticallyMasked ? nil : DynamicMasker(seed: seed, wholeWord: wholeWordMask), description: path)
        case .text:
            let instances = try RawTextInstances.prepare(
                paths: [path], vocabulary: tables, maxSeqLength: sequenceLength,
                seed: heldOut ? Self.heldOutSeed : Int(truncatingIfNeeded: seed), staticMasks: heldOut,
                wholeWordMask: wholeWordMask, splitSentences: true)
            source = try InstanceDatasetSource(
                store: .memory(instances, staticallyMasked: heldOut), vocabulary: tables, sequenceLength: sequenceLength,
                masker: heldOut ? nil : DynamicMasker(seed: seed, wholeWord: wholeWordMask), description: path)
        }
        guard source.count > 0 else { throw TrainingError.invalidData("\(path) has no instance") }
        return source
    }
}
